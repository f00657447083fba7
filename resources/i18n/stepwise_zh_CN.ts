<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AgentPage</name>
    <message>
        <source>Agent name</source>
        <translation>客服姓名</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>签名</translation>
    </message>
    <message>
        <source>e.g. Sam · Customer care, Northwind</source>
        <translation>例如：Sam · Northwind 客户服务</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Interface language</source>
        <translation>界面语言</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Tell me when a new version of Stepwise is out</source>
        <translation>Stepwise 有新版本时通知我</translation>
    </message>
    <message>
        <source>Tell me about new versions</source>
        <translation>通知我新版本</translation>
    </message>
    <message>
        <source>At start-up, asks the Stepwise releases page for the latest version. Nothing about you or your tickets is sent.</source>
        <translation>启动时向 Stepwise 发布页面查询最新版本。不会发送任何关于您或您的工单的信息。</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Updates</source>
        <translation>更新</translation>
    </message>
</context>
<context>
    <name>AnnotationBox</name>
    <message>
        <source>Note: what is right or wrong about this step</source>
        <translation>备注：这个步骤哪里正确、哪里错误</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>判定</translation>
    </message>
    <message>
        <source>Right</source>
        <translation>正确</translation>
    </message>
    <message>
        <source>Wrong</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Label, e.g. wrong_intent</source>
        <translation>标签，例如 wrong_intent</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>{author}: {verdict}</source>
        <translation>{author}：{verdict}</translation>
    </message>
    <message>
        <source>unnamed supervisor</source>
        <translation>未署名的主管</translation>
    </message>
    <message>
        <source>right</source>
        <translation>正确</translation>
    </message>
    <message>
        <source>wrong</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Saved as {verdict}.</source>
        <translation>已保存为“{verdict}”。</translation>
    </message>
    <message>
        <source>Choose Right or Wrong first</source>
        <translation>请先选择“正确”或“错误”</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>Stepwise cannot start</source>
        <translation>Stepwise 无法启动</translation>
    </message>
    <message>
        <source>Stepwise is already open</source>
        <translation>Stepwise 已在运行</translation>
    </message>
    <message>
        <source>process {pid}</source>
        <translation>进程 {pid}</translation>
    </message>
    <message>
        <source>another process</source>
        <translation>另一个进程</translation>
    </message>
    <message>
        <source>Stepwise is already open on this workspace ({holder}), and two windows on one workspace would overwrite each other&apos;s drafts.

Switch to that window, or close it and start Stepwise again.

Workspace: {path}</source>
        <translation>Stepwise 已在此工作区运行（{holder}）。同一工作区开两个窗口会互相覆盖草稿。

请切换到那个窗口，或将其关闭后再启动 Stepwise。

工作区：{path}</translation>
    </message>
</context>
<context>
    <name>Cards</name>
    <message>
        <source>VIP {tier}</source>
        <translation>VIP {tier}</translation>
    </message>
    <message>
        <source>Customer since {date}</source>
        <translation>{date} 起成为客户</translation>
    </message>
    <message>
        <source>Language: {language}</source>
        <translation>语言：{language}</translation>
    </message>
    <message>
        <source>Lifetime orders: {count}</source>
        <translation>累计订单：{count}</translation>
    </message>
    <message>
        <source>Order #{order}</source>
        <translation>订单 #{order}</translation>
    </message>
    <message>
        <source>Placed {date}</source>
        <translation>下单于 {date}</translation>
    </message>
    <message>
        <source>Total {amount}</source>
        <translation>合计 {amount}</translation>
    </message>
    <message>
        <source>{method} shipping · {carrier}</source>
        <translation>{method} 配送 · {carrier}</translation>
    </message>
    <message>
        <source>Last scan {time}</source>
        <translation>最近扫描 {time}</translation>
    </message>
    <message>
        <source>ETA {date}</source>
        <translation>预计送达 {date}</translation>
    </message>
</context>
<context>
    <name>CoreText</name>
    <message>
        <source>Intent</source>
        <translation>意图</translation>
    </message>
    <message>
        <source>Retrieval</source>
        <translation>检索</translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation>推理</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>回复</translation>
    </message>
    <message>
        <source>The ticket is too long for this model.</source>
        <translation>工单过长，超出了此模型的处理上限。</translation>
    </message>
    <message>
        <source>The provider answered with a redirect ({status}).</source>
        <translation>提供方返回了重定向（{status}）。</translation>
    </message>
    <message>
        <source>Check the base URL.</source>
        <translation>请检查基础 URL。</translation>
    </message>
    <message>
        <source>The provider is overloaded right now.</source>
        <translation>提供方当前负载过高。</translation>
    </message>
    <message>
        <source>The provider had an internal error ({status}).</source>
        <translation>提供方发生内部错误（{status}）。</translation>
    </message>
    <message>
        <source>The provider refused the request ({status}).</source>
        <translation>提供方拒绝了请求（{status}）。</translation>
    </message>
    <message>
        <source>The provider rejected the API key. Check the key in Settings.</source>
        <translation>提供方拒绝了 API 密钥。请在设置中检查密钥。</translation>
    </message>
    <message>
        <source>The provider account is out of credits.</source>
        <translation>提供方账户余额不足。</translation>
    </message>
    <message>
        <source>This API key may not use this model or endpoint.</source>
        <translation>此 API 密钥无权使用该模型或端点。</translation>
    </message>
    <message>
        <source>The model or endpoint was not found. Check Settings.</source>
        <translation>找不到该模型或端点。请检查设置。</translation>
    </message>
    <message>
        <source>The provider timed out handling the request.</source>
        <translation>提供方处理请求超时。</translation>
    </message>
    <message>
        <source>The provider reported a conflict (409).</source>
        <translation>提供方报告冲突（409）。</translation>
    </message>
    <message>
        <source>The provider could not process the request (422).</source>
        <translation>提供方无法处理该请求（422）。</translation>
    </message>
    <message>
        <source>The provider is rate-limiting us.</source>
        <translation>已触发提供方的速率限制。</translation>
    </message>
    <message>
        <source>The provider said: {detail}</source>
        <translation>提供方返回：{detail}</translation>
    </message>
    <message>
        <source>The provider stopped with an error: {detail}</source>
        <translation>提供方因错误而中止：{detail}</translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation>未知错误</translation>
    </message>
    <message>
        <source>Waiting for the rate limit, sending in {seconds} s</source>
        <translation>正在等待速率限制解除，{seconds} 秒后发送</translation>
    </message>
    <message>
        <source>{error} Retrying in {seconds} s</source>
        <translation>{error} {seconds} 秒后重试</translation>
    </message>
    <message>
        <source>The provider failed</source>
        <translation>提供方请求失败。</translation>
    </message>
    <message>
        <source>The provider URL {url} is not a valid http(s) URL.</source>
        <translation>提供方 URL {url} 不是有效的 http(s) URL。</translation>
    </message>
    <message>
        <source>Plain http:// is only allowed for this computer; use https://.</source>
        <translation>未加密的 http:// 仅允许用于本机；请使用 https://。</translation>
    </message>
    <message>
        <source>The answer took longer than this step&apos;s time limit and was stopped.</source>
        <translation>回答用时超出了此步骤的时间限制，已被停止。</translation>
    </message>
    <message>
        <source>No API key is set for this provider. Add one in Settings.</source>
        <translation>此提供方尚未设置 API 密钥。请在设置中添加。</translation>
    </message>
    <message>
        <source>The provider did not answer the connection in time.</source>
        <translation>提供方未能及时响应连接。</translation>
    </message>
    <message>
        <source>The provider did not start answering in time.</source>
        <translation>提供方未能及时开始回答。</translation>
    </message>
    <message>
        <source>Could not reach the provider at {url}: {detail}</source>
        <translation>无法连接位于 {url} 的提供方：{detail}</translation>
    </message>
    <message>
        <source>Could not reach the provider at {url}: its address was not found.</source>
        <translation>无法连接服务商 {url}：找不到该地址。</translation>
    </message>
    <message>
        <source>Check the address in Settings, and this computer&apos;s network.</source>
        <translation>请在设置中检查地址，并检查这台电脑的网络。</translation>
    </message>
    <message>
        <source>Could not reach the provider at {url}: nothing accepted the connection.</source>
        <translation>无法连接服务商 {url}：没有程序接受连接。</translation>
    </message>
    <message>
        <source>Check the address in Settings, and that the provider is running.</source>
        <translation>请在设置中检查地址，并确认服务商正在运行。</translation>
    </message>
    <message>
        <source>Address not found</source>
        <translation>找不到地址</translation>
    </message>
    <message>
        <source>Connection refused</source>
        <translation>连接被拒绝</translation>
    </message>
    <message>
        <source>The secure connection to the provider failed: its certificate was not accepted.</source>
        <translation>与服务商的安全连接失败：其证书未被接受。</translation>
    </message>
    <message>
        <source>If your company inspects secure traffic, its root certificate must be installed in this computer&apos;s trust store.</source>
        <translation>如果贵公司会检查加密流量，必须把公司的根证书安装到这台电脑的受信任证书库中。</translation>
    </message>
    <message>
        <source>Certificate not accepted</source>
        <translation>证书未被接受</translation>
    </message>
    <message>
        <source>The provider&apos;s rate limit would hold this step past its time limit.</source>
        <translation>等待提供方的速率限制会使此步骤超出时间限制。</translation>
    </message>
    <message>
        <source>The provider stopped sending in the middle of the answer.</source>
        <translation>提供方在回答中途停止了发送。</translation>
    </message>
    <message>
        <source>The connection dropped in the middle of the answer.</source>
        <translation>连接在回答中途断开。</translation>
    </message>
    <message>
        <source>The answer was cut off: the stream ended before it was complete.</source>
        <translation>回答被截断：数据流在回答完成前就结束了。</translation>
    </message>
    <message>
        <source>The model&apos;s call to {tool} had malformed arguments.</source>
        <translation>模型调用{tool}时给出的参数格式有误。</translation>
    </message>
    <message>
        <source>a tool</source>
        <translation>工具</translation>
    </message>
    <message>
        <source>The model sent an incomplete tool call.</source>
        <translation>模型发送的工具调用不完整。</translation>
    </message>
    <message>
        <source>Stepwise does not know the provider type {adapter}.</source>
        <translation>Stepwise 无法识别提供方类型 {adapter}。</translation>
    </message>
    <message>
        <source>The provider sent a malformed event; the stream was stopped.</source>
        <translation>提供方发送了格式错误的事件；数据流已停止。</translation>
    </message>
    <message>
        <source>The provider sent an unexpected event; the stream was stopped.</source>
        <translation>提供方发送了意外的事件；数据流已停止。</translation>
    </message>
    <message>
        <source>The provider sent a content block without an index.</source>
        <translation>提供方发送的内容块缺少索引。</translation>
    </message>
    <message>
        <source>The provider sent a delta for a block it never started.</source>
        <translation>提供方为一个从未开始的内容块发送了增量数据。</translation>
    </message>
    <message>
        <source>The provider sent a malformed chunk; the stream was stopped.</source>
        <translation>提供方发送了格式错误的数据块；数据流已停止。</translation>
    </message>
    <message>
        <source>The provider sent an unexpected chunk; the stream was stopped.</source>
        <translation>提供方发送了意外的数据块；数据流已停止。</translation>
    </message>
    <message>
        <source>The provider stopped the answer with an error.</source>
        <translation>提供方因错误中止了回答。</translation>
    </message>
    <message>
        <source>Stopped. The text so far is kept.</source>
        <translation>已停止。已保留目前生成的文本。</translation>
    </message>
    <message>
        <source>Not run: the {step} step did not finish.</source>
        <translation>未运行：{step}步骤未完成。</translation>
    </message>
    <message>
        <source>Skipped in the kept run.</source>
        <translation>在沿用的运行中已跳过此步骤。</translation>
    </message>
    <message>
        <source>Not run: the run was stopped before this step started.</source>
        <translation>未运行：本次运行在此步骤开始前已停止。</translation>
    </message>
    <message>
        <source>A plain order-status question and every order it names was found.</source>
        <translation>这是简单的订单状态查询，且其中提到的订单均已找到。</translation>
    </message>
    <message>
        <source>The model&apos;s answer was not valid JSON, even after one correction. Retry, or choose another model for this step in Settings.</source>
        <translation>即使纠正过一次，模型的回答仍不是有效的 JSON。请重试，或在设置中为此步骤选择其他模型。</translation>
    </message>
    <message>
        <source>The model&apos;s answer was not in the form this step needs, even after one correction. Retry, or choose another model for this step in Settings.</source>
        <translation>即使纠正过一次，模型的回答仍不符合此步骤所需的格式。请重试，或在设置中为此步骤选择其他模型。</translation>
    </message>
    <message>
        <source>The reasoning gave no checkable proposal: review it.</source>
        <translation>推理未给出可核查的方案：请人工审阅。</translation>
    </message>
    <message>
        <source>The reasoning asks for a supervisor&apos;s decision.</source>
        <translation>推理要求由主管做出决定。</translation>
    </message>
    <message>
        <source>Refund of ${amount} is above the agents&apos; limit of ${cap}.</source>
        <translation>退款 ${amount} 超过了客服的权限上限 ${cap}。</translation>
    </message>
    <message>
        <source>Refund of ${amount} is more than the order&apos;s total of ${total}.</source>
        <translation>退款 ${amount} 超过了订单总额 ${total}。</translation>
    </message>
    <message>
        <source>Refund for order #{order}, which is not one of the orders retrieved for this ticket.</source>
        <translation>退款针对订单 #{order}，但该订单不在为此工单检索到的订单中。</translation>
    </message>
    <message>
        <source>Order #{order} was delivered {days} days before the ticket, outside the {window}-day refund window.</source>
        <translation>订单 #{order} 在工单提交前 {days} 天已送达，超出了 {window} 天的退款期限。</translation>
    </message>
    <message>
        <source>Goodwill credit of ${amount} is above the ${cap} an agent may give.</source>
        <translation>补偿金 ${amount} 超过了客服可发放的上限 ${cap}。</translation>
    </message>
    <message>
        <source>Goodwill credit of ${amount} is above the ${cap} an agent may give a {tier} member.</source>
        <translation>补偿金 ${amount} 超过了客服可向 {tier} 会员发放的上限 ${cap}。</translation>
    </message>
    <message>
        <source>A {percent}% discount: the customer is not a VIP member.</source>
        <translation>{percent}% 的折扣：该客户不是 VIP 会员。</translation>
    </message>
    <message>
        <source>A {percent}% discount is above the {tier} tier&apos;s {allowed}%.</source>
        <translation>{percent}% 的折扣超过了 {tier} 等级的上限 {allowed}%。</translation>
    </message>
    <message>
        <source>A VIP discount cannot be applied to an order already placed: offer a code for a future order.</source>
        <translation>VIP 折扣不能用于已下的订单：请改为提供一个可用于今后订单的优惠码。</translation>
    </message>
    <message>
        <source>{name} · VIP {tier}</source>
        <translation>{name} · VIP {tier}</translation>
    </message>
    <message>
        <source>customer since {date}, {count} orders</source>
        <translation>{date} 起成为客户，共 {count} 笔订单</translation>
    </message>
    <message>
        <source>Order #{order} · {state}</source>
        <translation>订单 #{order} · {state}</translation>
    </message>
    <message>
        <source>{method} via {carrier}, {state} in {location}, ETA {eta}</source>
        <translation>{method}，{carrier} 承运，{state}，位于 {location}，预计送达：{eta}</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Could not {action}: {reason}.</source>
        <translation>无法{action}：{reason}。</translation>
    </message>
    <message>
        <source>the disk is full. Free some space, then try again</source>
        <translation>磁盘已满。请释放一些空间后重试</translation>
    </message>
    <message>
        <source>the database is read-only. Check that Stepwise may write to its data folder</source>
        <translation>数据库为只读。请确认 Stepwise 有权写入其数据文件夹</translation>
    </message>
    <message>
        <source>access to the database was denied. Check the data folder&apos;s permissions</source>
        <translation>数据库访问被拒绝。请检查数据文件夹的权限</translation>
    </message>
    <message>
        <source>the database is busy in another program (is Stepwise open twice?). Try again in a moment</source>
        <translation>数据库正被另一个程序占用（是否打开了两个 Stepwise？）。请稍后重试</translation>
    </message>
    <message>
        <source>the database is locked. Try again in a moment</source>
        <translation>数据库已被锁定。请稍后重试</translation>
    </message>
    <message>
        <source>the database file cannot be opened. Check that the data folder exists and is writable</source>
        <translation>数据库文件无法打开。请确认数据文件夹存在且可写入</translation>
    </message>
    <message>
        <source>the disk reported a read/write error. Check the drive, then try again</source>
        <translation>磁盘报告了读写错误。请检查磁盘后重试</translation>
    </message>
    <message>
        <source>the database file is damaged. Restore it from a backup or start a new data folder</source>
        <translation>数据库文件已损坏。请从备份恢复，或改用新的数据文件夹</translation>
    </message>
    <message>
        <source>the file is not a Stepwise database. Check the data folder setting</source>
        <translation>该文件不是 Stepwise 数据库。请检查数据文件夹设置</translation>
    </message>
    <message>
        <source>Could not {action} because of an internal error in Stepwise&apos;s storage ({detail}). This is a bug; please report it.</source>
        <translation>由于 Stepwise 存储内部出错（{detail}），无法{action}。这是程序缺陷，请报告此问题。</translation>
    </message>
    <message>
        <source>Could not {action}: the data folder is not usable ({detail}). Check that it exists and that Stepwise may write to it.</source>
        <translation>无法{action}：数据文件夹不可用（{detail}）。请确认该文件夹存在，且 Stepwise 有权写入。</translation>
    </message>
    <message>
        <source>open the database at {path}</source>
        <translation>打开位于 {path} 的数据库</translation>
    </message>
    <message>
        <source>open the workspace at {path}</source>
        <translation>打开位于 {path} 的工作区</translation>
    </message>
    <message>
        <source>read the database</source>
        <translation>读取数据库</translation>
    </message>
    <message>
        <source>set up the database</source>
        <translation>初始化数据库</translation>
    </message>
    <message>
        <source>read the inbox</source>
        <translation>读取收件箱</translation>
    </message>
    <message>
        <source>read ticket {ticket}</source>
        <translation>读取工单 {ticket}</translation>
    </message>
    <message>
        <source>read customer {customer}</source>
        <translation>读取客户 {customer}</translation>
    </message>
    <message>
        <source>read {what}</source>
        <translation>读取{what}</translation>
    </message>
    <message>
        <source>order {order}</source>
        <translation>订单 {order}</translation>
    </message>
    <message>
        <source>customer {customer}&apos;s orders</source>
        <translation>客户 {customer} 的订单</translation>
    </message>
    <message>
        <source>search the policy articles</source>
        <translation>搜索政策条款</translation>
    </message>
    <message>
        <source>read policy {policy}</source>
        <translation>读取政策 {policy}</translation>
    </message>
    <message>
        <source>read the policy limits</source>
        <translation>读取政策限额</translation>
    </message>
    <message>
        <source>read the policy limit {key}</source>
        <translation>读取政策限额 {key}</translation>
    </message>
    <message>
        <source>save the draft for ticket {ticket}</source>
        <translation>保存工单 {ticket} 的草稿</translation>
    </message>
    <message>
        <source>mark ticket {ticket} as read</source>
        <translation>将工单 {ticket} 标为已读</translation>
    </message>
    <message>
        <source>add the new ticket</source>
        <translation>添加新工单</translation>
    </message>
    <message>
        <source>record the reply to ticket {ticket} as sent</source>
        <translation>将工单 {ticket} 的回复记录为已发送</translation>
    </message>
    <message>
        <source>record run {run} of ticket {ticket}</source>
        <translation>记录工单 {ticket} 的运行 {run}</translation>
    </message>
    <message>
        <source>read run {run}</source>
        <translation>读取运行 {run}</translation>
    </message>
    <message>
        <source>read the runs of ticket {ticket}</source>
        <translation>读取工单 {ticket} 的运行记录</translation>
    </message>
    <message>
        <source>read today&apos;s totals</source>
        <translation>读取今日统计</translation>
    </message>
    <message>
        <source>add customer {customer}</source>
        <translation>添加客户 {customer}</translation>
    </message>
    <message>
        <source>add order {order}</source>
        <translation>添加订单 {order}</translation>
    </message>
    <message>
        <source>add policy {policy}</source>
        <translation>添加政策 {policy}</translation>
    </message>
    <message>
        <source>add policy limit {key}</source>
        <translation>添加政策限额 {key}</translation>
    </message>
    <message>
        <source>add the policy limits</source>
        <translation>添加政策限额</translation>
    </message>
    <message>
        <source>add ticket {ticket}</source>
        <translation>添加工单 {ticket}</translation>
    </message>
    <message>
        <source>load the demo data</source>
        <translation>加载演示数据</translation>
    </message>
    <message>
        <source>No customer has the id {customer}. Check it, or leave it empty if the customer is not on file yet.</source>
        <translation>找不到 ID 为 {customer} 的客户。请核对该 ID；如果客户尚未建档，请留空。</translation>
    </message>
    <message>
        <source>Ticket {ticket} was not found. It may have been removed; refresh the inbox.</source>
        <translation>找不到工单 {ticket}。它可能已被删除；请刷新收件箱。</translation>
    </message>
    <message>
        <source>The reply to ticket {ticket} was already recorded as sent at {time}; it was not recorded a second time.</source>
        <translation>工单 {ticket} 的回复已于 {time} 记录为已发送；本次未重复记录。</translation>
    </message>
    <message>
        <source>Run {run} was not found in the history.</source>
        <translation>历史记录中找不到运行 {run}。</translation>
    </message>
    <message>
        <source>Could not open the database at {path}: it was written by a newer version of Stepwise (schema {schema}; this version knows up to {known}). Update Stepwise to use it.</source>
        <translation>无法打开位于 {path} 的数据库：它由更新版本的 Stepwise 写入（架构版本 {schema}；当前版本最高支持 {known}）。请更新 Stepwise 后再使用。</translation>
    </message>
    <message>
        <source>Could not load the demo data from {path} ({detail}). The installation looks incomplete; reinstalling Stepwise should fix it.</source>
        <translation>无法从 {path} 加载演示数据（{detail}）。安装似乎不完整；重新安装 Stepwise 应可解决。</translation>
    </message>
    <message>
        <source>The seed data is malformed: {detail}.</source>
        <translation>初始数据格式有误：{detail}。</translation>
    </message>
    <message>
        <source>The ticket was refused.</source>
        <translation>工单未被接受。</translation>
    </message>
    <message>
        <source>The channel must be one of {channels}.</source>
        <translation>渠道必须是以下之一：{channels}。</translation>
    </message>
    <message>
        <source>Paste or type the customer&apos;s message: it is empty.</source>
        <translation>请粘贴或输入客户的消息：消息为空。</translation>
    </message>
    <message>
        <source>The message is {length} characters long; the limit is {limit}. Paste only the customer&apos;s own message, without quoted history or attachments.</source>
        <translation>消息长度为 {length} 个字符，上限为 {limit}。请只粘贴客户本人的消息，不要包含引用的历史记录或附件。</translation>
    </message>
    <message>
        <source>The subject is {length} characters long; keep it under {limit} (or leave it empty to use the message&apos;s first line).</source>
        <translation>主题长度为 {length} 个字符；请控制在 {limit} 以内（或留空，以使用消息的第一行）。</translation>
    </message>
    <message>
        <source>A customer id is one word, such as C-1001. Leave it empty if you do not know it.</source>
        <translation>客户 ID 是一个不含空格的词，例如 C-1001。如果不知道，请留空。</translation>
    </message>
    <message>
        <source>{field} contains a character that is not text ({code}, line {line}), probably from a broken copy. Remove it, or paste the text again from its source.</source>
        <translation>“{field}”中含有一个非文本字符（{code}，第 {line} 行），可能是复制时出错所致。请删除该字符，或从原处重新粘贴文本。</translation>
    </message>
    <message>
        <source>The message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>The subject</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>The customer id</source>
        <translation>客户 ID</translation>
    </message>
    <message>
        <source>At most {count} order numbers per ticket.</source>
        <translation>每个工单最多 {count} 个订单号。</translation>
    </message>
    <message>
        <source>“{order}” is not an order number: use letters, digits and &apos;-&apos;, and separate numbers with commas or spaces.</source>
        <translation>“{order}”不是有效的订单号：只能使用字母、数字和“-”，多个订单号之间用逗号或空格分隔。</translation>
    </message>
    <message>
        <source>Enter the API key first: this provider needs one.</source>
        <translation>请先输入 API 密钥：此提供方需要密钥。</translation>
    </message>
    <message>
        <source>The provider at {url} did not answer within {seconds} s.</source>
        <translation>位于 {url} 的提供方在 {seconds} 秒内没有响应。</translation>
    </message>
    <message>
        <source>Something answered at {url}, but not an OpenAI-compatible API. Check the base URL (it usually ends in /v1).</source>
        <translation>{url} 有响应，但不是 OpenAI 兼容的 API。请检查基础 URL（通常以 /v1 结尾）。</translation>
    </message>
    <message>
        <source>Connected. {who} offers {models}.</source>
        <translation>已连接。{who}有 {models}可用。</translation>
    </message>
    <message>
        <source>The key works and the provider</source>
        <translation>密钥有效，提供方</translation>
    </message>
    <message>
        <source>The server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>{count} model</source>
        <translation>{count} 个模型</translation>
    </message>
    <message>
        <source>{count} models</source>
        <translation>{count} 个模型</translation>
    </message>
    <message>
        <source>Enter a model for the reply step first: the test asks it one word.</source>
        <translation>请先为回复步骤填写模型：测试会让它回答一个词。</translation>
    </message>
    <message>
        <source>Connected. The key works and {model} answered.</source>
        <translation>已连接。密钥有效，{model} 已响应。</translation>
    </message>
    <message>
        <source>The provider {what}. Check the key, and that it belongs to this provider.</source>
        <translation>提供方{what}。请检查密钥，并确认它属于此提供方。</translation>
    </message>
    <message>
        <source>rejected the API key</source>
        <translation>拒绝了该 API 密钥</translation>
    </message>
    <message>
        <source>refused this API key access</source>
        <translation>拒绝了此 API 密钥的访问</translation>
    </message>
    <message>
        <source>The provider does not know the model {model}.</source>
        <translation>提供方找不到模型 {model}。</translation>
    </message>
    <message>
        <source>Nothing answers at {url}: check the base URL (for most providers it ends in /v1).</source>
        <translation>{url} 没有响应：请检查基础 URL（大多数提供方的基础 URL 以 /v1 结尾）。</translation>
    </message>
    <message>
        <source>The provider sent us to {where}; use that as the base URL.</source>
        <translation>提供方将请求重定向到 {where}；请改用该地址作为基础 URL。</translation>
    </message>
    <message>
        <source>another address</source>
        <translation>另一个地址</translation>
    </message>
    <message>
        <source>The key works, but the account is out of credits.</source>
        <translation>密钥有效，但账户余额不足。</translation>
    </message>
    <message>
        <source>The key works, but the provider is rate-limiting it right now. Try again in a minute.</source>
        <translation>密钥有效，但提供方目前正对其进行速率限制。请一分钟后再试。</translation>
    </message>
    <message>
        <source>The provider had a problem (HTTP {status}). Try again later.</source>
        <translation>提供方出现问题（HTTP {status}）。请稍后再试。</translation>
    </message>
    <message>
        <source>The provider refused the test request (HTTP {status}).</source>
        <translation>提供方拒绝了测试请求（HTTP {status}）。</translation>
    </message>
    <message>
        <source>The secure connection to {url} failed (TLS): the server&apos;s certificate was not accepted, or it does not speak https.</source>
        <translation>与 {url} 的安全连接失败（TLS）：服务器证书未被接受，或该服务器不支持 https。</translation>
    </message>
    <message>
        <source>Could not connect to {url}. Check the address, your network, and that the server is running.</source>
        <translation>无法连接到 {url}。请检查地址和网络，并确认服务器正在运行。</translation>
    </message>
    <message>
        <source>The system keyring is not available ({kind}), so the API key is kept for this session only.</source>
        <translation>系统密钥环不可用（{kind}），因此 API 密钥仅在本次会话中保留。</translation>
    </message>
    <message>
        <source>OpenAI-compatible gateway</source>
        <translation>OpenAI 兼容网关</translation>
    </message>
    <message>
        <source>Google Gemini (OpenAI endpoint)</source>
        <translation>Google Gemini（OpenAI 端点）</translation>
    </message>
    <message>
        <source>{name} (this computer)</source>
        <translation>{name}（本机）</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <source>Something went wrong inside Stepwise.

Your drafts are saved as you type, so nothing you wrote is lost. You can keep working; if this happens again, restart Stepwise and send the details below to your admin.</source>
        <translation>Stepwise 内部出错了。

草稿会在您输入时自动保存，您写的内容不会丢失。您可以继续工作；如果再次出现此问题，请重启 Stepwise，并把下面的详细信息发给管理员。</translation>
    </message>
    <message>
        <source>Stepwise: unexpected error</source>
        <translation>Stepwise：意外错误</translation>
    </message>
    <message>
        <source>Error type: {name}</source>
        <translation>错误类型：{name}</translation>
    </message>
    <message>
        <source>A report (without your API keys) was saved to:
{path}</source>
        <translation>已保存一份错误报告（不含您的 API 密钥）：
{path}</translation>
    </message>
    <message>
        <source>The crash report could not be saved: {reason}</source>
        <translation>无法保存错误报告：{reason}</translation>
    </message>
</context>
<context>
    <name>DashboardView</name>
    <message>
        <source>End to end</source>
        <translation>端到端</translation>
    </message>
    <message>
        <source>All steps</source>
        <translation>所有步骤</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Compute the figures again</source>
        <translation>重新计算数据</translation>
    </message>
    <message>
        <source>Dashboard state</source>
        <translation>仪表板状态</translation>
    </message>
    <message>
        <source>Dashboard problem</source>
        <translation>仪表板问题</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>运行次数</translation>
    </message>
    <message>
        <source>Tickets</source>
        <translation>工单数</translation>
    </message>
    <message>
        <source>Failed runs</source>
        <translation>失败的运行</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>费用</translation>
    </message>
    <message>
        <source>Cost per 1,000 tickets</source>
        <translation>每千张工单费用</translation>
    </message>
    <message>
        <source>Sent unedited</source>
        <translation>未经编辑即发送</translation>
    </message>
    <message>
        <source>Latency per step and end to end (p50, p95, p99)</source>
        <translation>各步骤及端到端延迟（p50、p95、p99）</translation>
    </message>
    <message>
        <source>Cost per 1,000 tickets, by step</source>
        <translation>每千张工单费用（按步骤）</translation>
    </message>
    <message>
        <source>Cost per 1,000 tickets, by model</source>
        <translation>每千张工单费用（按模型）</translation>
    </message>
    <message>
        <source>Drafts sent: unedited, lightly edited, rewritten</source>
        <translation>已发送的草稿：未编辑、轻微编辑、重写</translation>
    </message>
    <message>
        <source>Intent mix (share of classified tickets)</source>
        <translation>意图分布（占已分类工单的比例）</translation>
    </message>
    <message>
        <source>Error, retry and skip rates per step</source>
        <translation>各步骤的错误率、重试率和跳过率</translation>
    </message>
    <message>
        <source>Nothing to show for this period.</source>
        <translation>此时段没有可显示的数据。</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <source>{runs} runs of {tickets} tickets</source>
        <translation>{tickets} 张工单，共 {runs} 次运行</translation>
    </message>
    <message>
        <source>The figures could not be computed: {reason}</source>
        <translation>无法计算数据：{reason}</translation>
    </message>
    <message>
        <source>No model</source>
        <translation>无模型</translation>
    </message>
    <message>
        <source>Unedited</source>
        <translation>未编辑</translation>
    </message>
    <message>
        <source>Lightly edited</source>
        <translation>轻微编辑</translation>
    </message>
    <message>
        <source>Rewritten</source>
        <translation>重写</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>已发送</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Retries</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>跳过</translation>
    </message>
</context>
<context>
    <name>DiffView</name>
    <message>
        <source>unedited</source>
        <translation>未编辑</translation>
    </message>
    <message>
        <source>lightly edited</source>
        <translation>轻微编辑</translation>
    </message>
    <message>
        <source>rewritten</source>
        <translation>重写</translation>
    </message>
    <message>
        <source>Sent reply</source>
        <translation>已发送的回复</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>Not sent yet</source>
        <translation>尚未发送</translation>
    </message>
    <message>
        <source>Edit distance {distance} characters · {percent}% changed · {level}</source>
        <translation>编辑距离 {distance} 个字符 · 改动 {percent}% · {level}</translation>
    </message>
    <message>
        <source>This run made no draft.</source>
        <translation>这次运行没有生成草稿。</translation>
    </message>
</context>
<context>
    <name>ErrorBox</name>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Run this step again</source>
        <translation>重新运行此步骤</translation>
    </message>
    <message>
        <source>Use fallback model</source>
        <translation>使用备用模型</translation>
    </message>
    <message>
        <source>Open settings</source>
        <translation>打开设置</translation>
    </message>
    <message>
        <source>Change provider or model</source>
        <translation>更换提供方或模型</translation>
    </message>
    <message>
        <source>The text produced before the failure is kept above.</source>
        <translation>失败前生成的文本已保留在上方。</translation>
    </message>
    <message>
        <source>Use {model}</source>
        <translation>使用 {model}</translation>
    </message>
    <message>
        <source>Run this step again on {model}</source>
        <translation>使用 {model} 重新运行此步骤</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export runs</source>
        <translation>导出运行记录</translation>
    </message>
    <message>
        <source>Exporting</source>
        <translation>正在导出</translation>
    </message>
    <message>
        <source>Export result</source>
        <translation>导出结果</translation>
    </message>
    <message>
        <source>CSV: one row per run, for spreadsheets</source>
        <translation>CSV：每次运行一行，适合电子表格</translation>
    </message>
    <message>
        <source>JSONL: one JSON object per run, with every step</source>
        <translation>JSONL：每次运行一个 JSON 对象，包含所有步骤</translation>
    </message>
    <message>
        <source>The runs the history shows now</source>
        <translation>历史记录当前显示的运行</translation>
    </message>
    <message>
        <source>All runs</source>
        <translation>全部运行</translation>
    </message>
    <message>
        <source>Redact customer PII</source>
        <translation>隐去客户个人信息</translation>
    </message>
    <message>
        <source>Replaces customers&apos; names, e-mail addresses, phone and card numbers and street addresses; ids and order numbers stay. Check the file before it leaves the company.</source>
        <translation>替换客户的姓名、电子邮件地址、电话号码、银行卡号和街道地址；各类编号和订单号保留。文件发出公司之前请先检查。</translation>
    </message>
    <message>
        <source>Save to</source>
        <translation>保存到</translation>
    </message>
    <message>
        <source>Not chosen yet</source>
        <translation>尚未选择</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Choose the file</source>
        <translation>选择文件</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Privacy</source>
        <translation>隐私</translation>
    </message>
    <message>
        <source>The runs the history shows now ({count})</source>
        <translation>历史记录当前显示的运行（{count}）</translation>
    </message>
    <message>
        <source>All runs ({count})</source>
        <translation>全部运行（{count}）</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>JSON Lines files (*.jsonl)</source>
        <translation>JSON Lines 文件 (*.jsonl)</translation>
    </message>
    <message>
        <source>Export runs to</source>
        <translation>将运行记录导出到</translation>
    </message>
    <message>
        <source>Exporting… A long history takes a few minutes.</source>
        <translation>正在导出… 历史记录较长时需要几分钟。</translation>
    </message>
    <message>
        <source>Exported 1 run to {path}</source>
        <translation>已将 1 次运行导出到 {path}</translation>
    </message>
    <message>
        <source>Exported {count} runs to {path}</source>
        <translation>已将 {count} 次运行导出到 {path}</translation>
    </message>
    <message>
        <source>The export failed because of an internal error in Stepwise ({error}). This is a bug; please report it.</source>
        <translation>由于 Stepwise 内部错误，导出失败（{error}）。这是一个程序错误，请报告。</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <source>Welcome to Stepwise</source>
        <translation>欢迎使用 Stepwise</translation>
    </message>
    <message>
        <source>Try the demo</source>
        <translation>试用演示</translation>
    </message>
    <message>
        <source>Provider to connect</source>
        <translation>要连接的提供方</translation>
    </message>
    <message>
        <source>Connect a provider…</source>
        <translation>连接提供方…</translation>
    </message>
    <message>
        <source>Connect a provider</source>
        <translation>连接提供方</translation>
    </message>
    <message>
        <source>A built-in simulator plays the AI provider and a sample inbox is ready. No API key, no network; everything it shows is labelled as simulated.</source>
        <translation>内置模拟器将充当 AI 提供方，并已备好示例收件箱。无需 API 密钥，无需联网；显示的所有内容均标注为模拟。</translation>
    </message>
    <message>
        <source>Choose your provider, paste its API key (kept in the system keyring) and test the connection. You can change everything later in Settings.</source>
        <translation>选择提供方，粘贴其 API 密钥（保存在系统密钥环中），然后测试连接。之后可随时在“设置”中更改所有内容。</translation>
    </message>
    <message>
        <source>How would you like to start?</source>
        <translation>要如何开始？</translation>
    </message>
</context>
<context>
    <name>FlaggedModel</name>
    <message>
        <source>Run started</source>
        <translation>运行开始时间</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>工单</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步骤</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>判定</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <source>Wrong</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Right</source>
        <translation>正确</translation>
    </message>
    <message>
        <source>Marked {time}</source>
        <translation>标记于 {time}</translation>
    </message>
</context>
<context>
    <name>FlaggedView</name>
    <message>
        <source>Flagged steps problem</source>
        <translation>已标记步骤的问题</translation>
    </message>
    <message>
        <source>No steps match. Verdicts saved in a run&apos;s inspector are listed here.</source>
        <translation>没有符合条件的步骤。在运行详情中保存的判定会列在这里。</translation>
    </message>
    <message>
        <source>Steps shown</source>
        <translation>显示的步骤</translation>
    </message>
    <message>
        <source>Marked wrong</source>
        <translation>标为错误</translation>
    </message>
    <message>
        <source>Marked right</source>
        <translation>标为正确</translation>
    </message>
    <message>
        <source>Any verdict</source>
        <translation>任意判定</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>判定</translation>
    </message>
    <message>
        <source>Any step</source>
        <translation>任意步骤</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步骤</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Exact label; suggestions come from the steps listed</source>
        <translation>须与标签完全一致；建议来自已列出的步骤</translation>
    </message>
    <message>
        <source>Redact customer PII</source>
        <translation>隐去客户个人信息</translation>
    </message>
    <message>
        <source>Replaces customers&apos; names, e-mail addresses, phone and card numbers</source>
        <translation>替换客户的姓名、电子邮件地址、电话号码和银行卡号</translation>
    </message>
    <message>
        <source>Export dataset…</source>
        <translation>导出数据集…</translation>
    </message>
    <message>
        <source>Export dataset</source>
        <translation>导出数据集</translation>
    </message>
    <message>
        <source>Write the steps listed, with their inputs and outputs, to a JSONL file</source>
        <translation>将列出的步骤及其输入和输出写入 JSONL 文件</translation>
    </message>
    <message>
        <source>Export result</source>
        <translation>导出结果</translation>
    </message>
    <message>
        <source>Annotated steps</source>
        <translation>已判定的步骤</translation>
    </message>
    <message>
        <source>The flagged steps could not be read: {reason}</source>
        <translation>无法读取已标记的步骤：{reason}</translation>
    </message>
    <message>
        <source>1 step</source>
        <translation>1 个步骤</translation>
    </message>
    <message>
        <source>{count} steps</source>
        <translation>{count} 个步骤</translation>
    </message>
    <message>
        <source>JSON Lines files (*.jsonl)</source>
        <translation>JSON Lines 文件 (*.jsonl)</translation>
    </message>
    <message>
        <source>Export the dataset to</source>
        <translation>将数据集导出到</translation>
    </message>
    <message>
        <source>Exporting the dataset…</source>
        <translation>正在导出数据集…</translation>
    </message>
    <message>
        <source>Exported 1 annotated step to {path}</source>
        <translation>已将 1 个已判定的步骤导出到 {path}</translation>
    </message>
    <message>
        <source>Exported {count} annotated steps to {path}</source>
        <translation>已将 {count} 个已判定的步骤导出到 {path}</translation>
    </message>
</context>
<context>
    <name>Formatting</name>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} 秒</translation>
    </message>
    <message>
        <source>{minutes} min {seconds} s</source>
        <translation>{minutes} 分 {seconds} 秒</translation>
    </message>
    <message>
        <source>in {input} · out {output}</source>
        <translation>输入 {input} · 输出 {output}</translation>
    </message>
    <message>
        <source>no price</source>
        <translation>无价格</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>{day} {month_name} {year}</source>
        <translation>{year}年{month}月{day}日</translation>
    </message>
    <message>
        <source>{date}, {time}</source>
        <translation>{date} {time}</translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>客服</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>工单</translation>
    </message>
    <message>
        <source>Intents</source>
        <translation>意图</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>延迟</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>费用</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>标记</translation>
    </message>
    <message>
        <source>Edit level</source>
        <translation>编辑程度</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>needs approval</source>
        <translation>需要审批</translation>
    </message>
    <message>
        <source>{count} marked wrong</source>
        <translation>{count} 处标为错误</translation>
    </message>
    <message>
        <source>Unknown customer</source>
        <translation>未知客户</translation>
    </message>
    <message>
        <source>Estimated: the provider did not report every step&apos;s usage</source>
        <translation>估算值：服务商未报告每个步骤的用量</translation>
    </message>
    <message>
        <source>This run&apos;s draft was not the reply sent</source>
        <translation>此运行的草稿不是最终发送的回复</translation>
    </message>
    <message>
        <source>Run {run}</source>
        <translation>运行 {run}</translation>
    </message>
</context>
<context>
    <name>HistoryView</name>
    <message>
        <source>Edited or not</source>
        <translation>编辑与否</translation>
    </message>
    <message>
        <source>Edited</source>
        <translation>已编辑</translation>
    </message>
    <message>
        <source>Unedited</source>
        <translation>未编辑</translation>
    </message>
    <message>
        <source>Runs shown</source>
        <translation>显示的运行</translation>
    </message>
    <message>
        <source>History problem</source>
        <translation>历史记录问题</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>客服</translation>
    </message>
    <message>
        <source>Any intent</source>
        <translation>任意意图</translation>
    </message>
    <message>
        <source>Intent</source>
        <translation>意图</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>任意状态</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Lowest cost</source>
        <translation>最低费用</translation>
    </message>
    <message>
        <source>Highest cost</source>
        <translation>最高费用</translation>
    </message>
    <message>
        <source>Edited before sending</source>
        <translation>发送前是否编辑</translation>
    </message>
    <message>
        <source>Flagged only</source>
        <translation>仅显示有标记的</translation>
    </message>
    <message>
        <source>Runs whose reply needed a supervisor&apos;s approval</source>
        <translation>回复需要主管审批的运行</translation>
    </message>
    <message>
        <source>Search ticket and reply text</source>
        <translation>搜索工单和回复文本</translation>
    </message>
    <message>
        <source>Export runs…</source>
        <translation>导出运行记录…</translation>
    </message>
    <message>
        <source>Export runs</source>
        <translation>导出运行记录</translation>
    </message>
    <message>
        <source>Save the runs listed, or all runs, as CSV or JSONL</source>
        <translation>将列出的运行记录或全部运行记录保存为 CSV 或 JSONL</translation>
    </message>
    <message>
        <source>Exact name; suggestions come from the runs listed</source>
        <translation>完整名称；建议来自已列出的运行</translation>
    </message>
    <message>
        <source>Any</source>
        <translation>任意</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>费用</translation>
    </message>
    <message>
        <source>The history could not be read: {reason}</source>
        <translation>无法读取历史记录：{reason}</translation>
    </message>
    <message>
        <source>{total} runs</source>
        <translation>{total} 次运行</translation>
    </message>
    <message>
        <source>{shown} of {total} runs</source>
        <translation>{shown} / {total} 次运行</translation>
    </message>
</context>
<context>
    <name>Inbox</name>
    <message>
        <source>All tickets</source>
        <translation>全部工单</translation>
    </message>
    <message>
        <source>Unread</source>
        <translation>未读</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>未处理</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>已发送</translation>
    </message>
    <message>
        <source>Filter by status</source>
        <translation>按状态筛选</translation>
    </message>
    <message>
        <source>Any intent</source>
        <translation>全部意图</translation>
    </message>
    <message>
        <source>Filter by intent</source>
        <translation>按意图筛选</translation>
    </message>
    <message>
        <source>Any urgency</source>
        <translation>全部紧急程度</translation>
    </message>
    <message>
        <source>Filter by urgency</source>
        <translation>按紧急程度筛选</translation>
    </message>
    <message>
        <source>Tickets shown</source>
        <translation>显示的工单</translation>
    </message>
    <message>
        <source>New ticket</source>
        <translation>新建工单</translation>
    </message>
    <message>
        <source>Paste a customer message as a new ticket ({shortcut})</source>
        <translation>将客户消息粘贴为新工单（{shortcut}）</translation>
    </message>
    <message>
        <source>Search tickets</source>
        <translation>搜索工单</translation>
    </message>
    <message>
        <source>Inbox</source>
        <translation>收件箱</translation>
    </message>
    <message>
        <source>{total} tickets · {unread} unread</source>
        <translation>{total} 个工单 · {unread} 个未读</translation>
    </message>
    <message>
        <source>{total} tickets</source>
        <translation>{total} 个工单</translation>
    </message>
    <message>
        <source>{shown} of {total} shown · {unread} unread</source>
        <translation>已显示 {shown} / {total} 个 · {unread} 个未读</translation>
    </message>
    <message>
        <source>{shown} of {total} shown</source>
        <translation>已显示 {shown} / {total} 个</translation>
    </message>
</context>
<context>
    <name>InboxModel</name>
    <message>
        <source>open</source>
        <translation>未处理</translation>
    </message>
    <message>
        <source>draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>已发送</translation>
    </message>
    <message>
        <source>Unknown customer</source>
        <translation>未知客户</translation>
    </message>
    <message>
        <source>{ticket} · {status} · unread</source>
        <translation>{ticket} · {status} · 未读</translation>
    </message>
    <message>
        <source>{ticket} · {status}</source>
        <translation>{ticket} · {status}</translation>
    </message>
    <message>
        <source>Intent: {intents}</source>
        <translation>意图：{intents}</translation>
    </message>
    <message>
        <source>Urgency: {urgency}</source>
        <translation>紧急程度：{urgency}</translation>
    </message>
    <message>
        <source>unread</source>
        <translation>未读</translation>
    </message>
    <message>
        <source>{urgency} urgency</source>
        <translation>紧急程度{urgency}</translation>
    </message>
</context>
<context>
    <name>InspectorWindow</name>
    <message>
        <source>Run {run}</source>
        <translation>运行 {run}</translation>
    </message>
    <message>
        <source>Run {run} · ticket {ticket}</source>
        <translation>运行 {run} · 工单 {ticket}</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>步骤</translation>
    </message>
    <message>
        <source>This run recorded no steps.</source>
        <translation>这次运行没有记录任何步骤。</translation>
    </message>
    <message>
        <source>{cost} (estimated)</source>
        <translation>{cost}（估算）</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>客服</translation>
    </message>
    <message>
        <source>not recorded</source>
        <translation>未记录</translation>
    </message>
    <message>
        <source>Total time</source>
        <translation>总耗时</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>费用</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>令牌</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Intents</source>
        <translation>意图</translation>
    </message>
    <message>
        <source>Edit level</source>
        <translation>编辑程度</translation>
    </message>
    <message>
        <source>{run}, from the {step} step</source>
        <translation>{run}，从“{step}”步骤开始</translation>
    </message>
    <message>
        <source>Re-run of</source>
        <translation>重新运行自</translation>
    </message>
    <message>
        <source>This reply needs a supervisor&apos;s approval.</source>
        <translation>这条回复需要主管批准。</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Draft and sent reply</source>
        <translation>草稿与已发送的回复</translation>
    </message>
    <message>
        <source>The reply was sent from another run&apos;s draft; this comparison is for reading only.</source>
        <translation>回复是根据另一次运行的草稿发送的；此对比仅供参考。</translation>
    </message>
    <message>
        <source>Sent, but this run made no draft.</source>
        <translation>已发送，但这次运行没有生成草稿。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Stepwise (demo)</source>
        <translation>Stepwise（演示）</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>Draft reply</source>
        <translation>起草回复</translation>
    </message>
    <message>
        <source>Run the four steps on this ticket (F5)</source>
        <translation>对此工单运行全部四个步骤（F5）</translation>
    </message>
    <message>
        <source>DEMO — simulated responses</source>
        <translation>演示 — 响应均为模拟</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>主管视图</translation>
    </message>
    <message>
        <source>Past runs, step by step, and what the agents changed (Ctrl+Shift+H)</source>
        <translation>过去的运行：逐步查看，以及客服改了什么（Ctrl+Shift+H）</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Ticket {ticket} created.</source>
        <translation>已创建工单 {ticket}。</translation>
    </message>
    <message>
        <source>The inbox could not be loaded</source>
        <translation>无法加载收件箱</translation>
    </message>
    <message>
        <source>The ticket could not be opened</source>
        <translation>无法打开工单</translation>
    </message>
    <message>
        <source>Nothing to regenerate yet: drafting the whole reply; the instruction is used when you regenerate it.</source>
        <translation>尚无可重新生成的内容：正在起草完整回复；指令将在之后重新生成时使用。</translation>
    </message>
    <message>
        <source>Send a reply that needs approval?</source>
        <translation>要发送需要审批的回复吗？</translation>
    </message>
    <message>
        <source>This draft proposes something over the policy limits:
{reasons}

Send it only if a supervisor has approved it.</source>
        <translation>此草稿提出的内容超出了政策限制：
{reasons}

请仅在主管批准后发送。</translation>
    </message>
    <message>
        <source>Send an incomplete draft?</source>
        <translation>发送不完整的草稿？</translation>
    </message>
    <message>
        <source>The draft was cut off before the model finished it, and it has not been edited since. Read it to the end before sending.</source>
        <translation>模型还没写完，草稿就中断了，之后也未经编辑。发送前请从头到尾读一遍。</translation>
    </message>
    <message>
        <source>Send anyway</source>
        <translation>仍然发送</translation>
    </message>
    <message>
        <source>This reply was already sent</source>
        <translation>此回复已发送过</translation>
    </message>
    <message>
        <source>A reply to ticket {ticket} has already been sent, and a ticket is answered only once. Nothing was sent again.</source>
        <translation>工单 {ticket} 的回复已发送过，每个工单只回复一次。本次未重复发送。</translation>
    </message>
    <message>
        <source>The reply was not sent</source>
        <translation>回复未发送</translation>
    </message>
    <message>
        <source>Reply to {ticket} sent.</source>
        <translation>{ticket} 的回复已发送。</translation>
    </message>
    <message>
        <source>Not saved yet</source>
        <translation>尚未保存</translation>
    </message>
    <message>
        <source>The draft could not be saved</source>
        <translation>无法保存草稿</translation>
    </message>
    <message>
        <source>Draft saved</source>
        <translation>草稿已保存</translation>
    </message>
    <message>
        <source>The draft could not be made</source>
        <translation>无法生成草稿</translation>
    </message>
    <message>
        <source>Draft ready: review and edit it before sending.</source>
        <translation>草稿已就绪：请在发送前审阅并编辑。</translation>
    </message>
    <message>
        <source>The draft could not be completed; see the steps.</source>
        <translation>草稿未能完成，请查看各步骤。</translation>
    </message>
</context>
<context>
    <name>ModelsPage</name>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Input $/M tokens</source>
        <translation>输入 $/百万令牌</translation>
    </message>
    <message>
        <source>Output $/M tokens</source>
        <translation>输出 $/百万令牌</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步骤</translation>
    </message>
    <message>
        <source>Fallback model (optional)</source>
        <translation>备用模型（可选）</translation>
    </message>
    <message>
        <source>{step} model</source>
        <translation>{step}模型</translation>
    </message>
    <message>
        <source>{step} fallback model</source>
        <translation>{step}备用模型</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Prices per million tokens for the models in use</source>
        <translation>所用模型的每百万令牌价格</translation>
    </message>
    <message>
        <source>Prices (blank: the bundled price list)</source>
        <translation>价格（留空则使用内置价格表）</translation>
    </message>
</context>
<context>
    <name>NewTicketDialog</name>
    <message>
        <source>E-mail</source>
        <translation>邮件</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>在线聊天</translation>
    </message>
    <message>
        <source>Web form</source>
        <translation>网页表单</translation>
    </message>
    <message>
        <source>New ticket</source>
        <translation>新建工单</translation>
    </message>
    <message>
        <source>Create ticket</source>
        <translation>创建工单</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Customer message</source>
        <translation>客户消息</translation>
    </message>
    <message>
        <source>Paste the customer&apos;s message here</source>
        <translation>在此粘贴客户的消息</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Optional: the first line is used</source>
        <translation>可选：默认使用第一行</translation>
    </message>
    <message>
        <source>Customer id</source>
        <translation>客户 ID</translation>
    </message>
    <message>
        <source>Optional, e.g. C-1001</source>
        <translation>可选，例如 C-1001</translation>
    </message>
    <message>
        <source>Order numbers</source>
        <translation>订单号</translation>
    </message>
    <message>
        <source>Optional, e.g. 4521, 4522</source>
        <translation>可选，例如 4521, 4522</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Message length</source>
        <translation>消息长度</translation>
    </message>
    <message>
        <source>Order numbers note</source>
        <translation>订单号提示</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Customer &amp;message</source>
        <translation>客户消息(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Subject</source>
        <translation>主题(&amp;S)</translation>
    </message>
    <message>
        <source>C&amp;ustomer id</source>
        <translation>客户 ID(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Order numbers</source>
        <translation>订单号(&amp;O)</translation>
    </message>
    <message>
        <source>C&amp;hannel</source>
        <translation>渠道(&amp;H)</translation>
    </message>
    <message>
        <source>Paste a message a customer sent outside Stepwise. Only the message is required.</source>
        <translation>粘贴客户在 Stepwise 之外发送的消息。只有消息为必填项。</translation>
    </message>
    <message>
        <source>The ticket was not created. {problem}</source>
        <translation>工单未创建。{problem}</translation>
    </message>
    <message>
        <source>Nothing was pasted: the text is {length} characters long and the message may hold {limit}. Paste only the customer&apos;s own message, without quoted history or attachments.</source>
        <translation>未粘贴任何内容：文本长 {length} 个字符，而消息最多 {limit} 个字符。请只粘贴客户本人的消息，不要包含引用的历史记录或附件。</translation>
    </message>
    <message>
        <source>{length} / {limit} characters — too long</source>
        <translation>{length} / {limit} 个字符 — 过长</translation>
    </message>
    <message>
        <source>{length} / {limit} characters</source>
        <translation>{length} / {limit} 个字符</translation>
    </message>
    <message>
        <source>Not in the store: {orders}. Kept in the message anyway; the look-up step will report it as not found.</source>
        <translation>店铺记录中没有：{orders}。仍会保留在消息中；检索步骤会将其报告为未找到。</translation>
    </message>
</context>
<context>
    <name>PeriodPicker</name>
    <message>
        <source>All time</source>
        <translation>全部时间</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>最近 7 天</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>最近 30 天</translation>
    </message>
    <message>
        <source>Custom range</source>
        <translation>自定义范围</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>时段</translation>
    </message>
    <message>
        <source>First day</source>
        <translation>开始日期</translation>
    </message>
    <message>
        <source>Last day</source>
        <translation>结束日期</translation>
    </message>
</context>
<context>
    <name>PipelineBridge</name>
    <message>
        <source>{reason} Trying {model}.</source>
        <translation>{reason}正在改用 {model}。</translation>
    </message>
    <message>
        <source>The answer was not valid JSON: asking again.</source>
        <translation>回答不是有效的 JSON：正在重新请求。</translation>
    </message>
    <message>
        <source>Needs approval: {reason}</source>
        <translation>需要审批：{reason}</translation>
    </message>
    <message>
        <source>The ticket is too long for this model: its oldest part was left out to fit.</source>
        <translation>工单对该模型来说太长：已省略最早的部分以适应上下文窗口。</translation>
    </message>
    <message>
        <source>The pipeline stopped because of an unexpected problem ({kind}). What was produced so far is kept; try Draft reply again.</source>
        <translation>流程因意外问题（{kind}）而停止。已生成的内容已保留；请再次点击“起草回复”。</translation>
    </message>
</context>
<context>
    <name>ProviderPage</name>
    <message>
        <source>OpenAI-compatible (chat completions)</source>
        <translation>OpenAI 兼容（chat completions）</translation>
    </message>
    <message>
        <source>Anthropic Messages</source>
        <translation>Anthropic Messages</translation>
    </message>
    <message>
        <source>the Secret Service keyring</source>
        <translation>Secret Service 密钥环</translation>
    </message>
    <message>
        <source>KWallet</source>
        <translation>KWallet</translation>
    </message>
    <message>
        <source>the macOS Keychain</source>
        <translation>macOS 钥匙串</translation>
    </message>
    <message>
        <source>Windows Credential Locker</source>
        <translation>Windows 凭据保险箱</translation>
    </message>
    <message>
        <source>Not needed: the simulator answers every request</source>
        <translation>无需密钥：所有请求均由模拟器应答</translation>
    </message>
    <message>
        <source>Paste your provider&apos;s API key</source>
        <translation>粘贴提供方的 API 密钥</translation>
    </message>
    <message>
        <source>Not needed for this computer</source>
        <translation>本机提供方无需密钥</translation>
    </message>
    <message>
        <source>•••• kept for this session only</source>
        <translation>•••• 仅在本次会话中保留</translation>
    </message>
    <message>
        <source>•••• stored in {keyring}</source>
        <translation>•••• 已保存到 {keyring}</translation>
    </message>
    <message>
        <source>No limit</source>
        <translation>无限制</translation>
    </message>
    <message>
        <source>Provider preset</source>
        <translation>提供方预设</translation>
    </message>
    <message>
        <source>Provider base URL</source>
        <translation>提供方基础 URL</translation>
    </message>
    <message>
        <source>Provider protocol</source>
        <translation>提供方协议</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>Connection test result</source>
        <translation>连接测试结果</translation>
    </message>
    <message>
        <source>Requests per minute limit</source>
        <translation>每分钟请求数限制</translation>
    </message>
    <message>
        <source>Tokens per minute limit</source>
        <translation>每分钟令牌数限制</translation>
    </message>
    <message>
        <source>Accepts JSON-schema answers (response_format)</source>
        <translation>支持 JSON Schema 结构化回答（response_format）</translation>
    </message>
    <message>
        <source>Provider accepts JSON-schema answers</source>
        <translation>提供方支持 JSON Schema 结构化回答</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>预设</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>基础 URL</translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation>协议</translation>
    </message>
    <message>
        <source>Requests per minute</source>
        <translation>每分钟请求数</translation>
    </message>
    <message>
        <source>Tokens per minute</source>
        <translation>每分钟令牌数</translation>
    </message>
    <message>
        <source>Testing the connection…</source>
        <translation>正在测试连接…</translation>
    </message>
    <message>
        <source>The test could not run; see the log for details.</source>
        <translation>无法运行测试；详情请查看日志。</translation>
    </message>
</context>
<context>
    <name>ReplyEditor</name>
    <message>
        <source>Reply draft</source>
        <translation>回复草稿</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Send the reply (Ctrl+Enter)</source>
        <translation>发送回复（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <source>Draft the reply again (Ctrl+R)</source>
        <translation>重新起草回复（Ctrl+R）</translation>
    </message>
    <message>
        <source>Optional for Regenerate: shorter, more formal, in Spanish…</source>
        <translation>重新生成时可选：更简短、更正式、用西班牙语…</translation>
    </message>
    <message>
        <source>Instruction for Regenerate</source>
        <translation>重新生成的指令</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop drafting</source>
        <translation>停止起草</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy the reply to the clipboard</source>
        <translation>将回复复制到剪贴板</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>回复</translation>
    </message>
    <message>
        <source>Press Draft reply (F5) to have Stepwise draft an answer, or write it yourself.</source>
        <translation>点击“起草回复”（F5）让 Stepwise 起草答复，或自行撰写。</translation>
    </message>
    <message>
        <source>The draft appears here as it is written…</source>
        <translation>草稿生成时将显示在这里…</translation>
    </message>
    <message>
        <source>Copied to the clipboard</source>
        <translation>已复制到剪贴板</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>Drafting…</source>
        <translation>正在起草…</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>已发送</translation>
    </message>
    <message>
        <source>Incomplete</source>
        <translation>不完整</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Demo mode uses the built-in simulator: its provider and models are fixed. Your name, signature, theme and language are kept.</source>
        <translation>演示模式使用内置模拟器：提供方和模型是固定的。你的姓名、签名、主题和语言会被保存。</translation>
    </message>
    <message>
        <source>The system keyring is not available, so the API key is kept for this session only.</source>
        <translation>系统密钥环不可用，因此 API 密钥仅在本次会话中保留。</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Stepwise settings</source>
        <translation>Stepwise 设置</translation>
    </message>
    <message>
        <source>Settings sections</source>
        <translation>设置分区</translation>
    </message>
    <message>
        <source>&amp;Provider</source>
        <translation>提供方(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Models and prices</source>
        <translation>模型与价格(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Agent and look</source>
        <translation>客服与外观(&amp;A)</translation>
    </message>
    <message>
        <source>Settings notice</source>
        <translation>设置提示</translation>
    </message>
    <message>
        <source>The base URL must start with https:// (or http:// for this computer).</source>
        <translation>基础 URL 必须以 https:// 开头（本机地址可用 http://）。</translation>
    </message>
    <message>
        <source>The settings could not be saved: {error}</source>
        <translation>无法保存设置：{error}</translation>
    </message>
    <message>
        <source>Settings saved. {problem}</source>
        <translation>设置已保存。{problem}</translation>
    </message>
    <message>
        <source>•••• kept for this session only</source>
        <translation>•••• 仅在本次会话中保留</translation>
    </message>
    <message>
        <source>Stepwise will follow the system&apos;s language from the next start.</source>
        <translation>Stepwise 将从下次启动起跟随系统语言。</translation>
    </message>
    <message>
        <source>Stepwise will use {language} from the next start.</source>
        <translation>Stepwise 将从下次启动起使用 {language}。</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
</context>
<context>
    <name>StatusLine</name>
    <message>
        <source>key rejected</source>
        <translation>密钥被拒绝</translation>
    </message>
    <message>
        <source>access denied</source>
        <translation>访问被拒绝</translation>
    </message>
    <message>
        <source>out of credit</source>
        <translation>余额不足</translation>
    </message>
    <message>
        <source>model not found</source>
        <translation>未找到模型</translation>
    </message>
    <message>
        <source>not set up</source>
        <translation>未配置</translation>
    </message>
    <message>
        <source>rate-limited</source>
        <translation>受速率限制</translation>
    </message>
    <message>
        <source>failing</source>
        <translation>服务出错</translation>
    </message>
    <message>
        <source>overloaded</source>
        <translation>过载</translation>
    </message>
    <message>
        <source>unreachable</source>
        <translation>无法连接</translation>
    </message>
    <message>
        <source>certificate not accepted</source>
        <translation>证书未被接受</translation>
    </message>
    <message>
        <source>stalled</source>
        <translation>响应停滞</translation>
    </message>
    <message>
        <source>What today&apos;s runs spent, re-runs included</source>
        <translation>今天各次运行的用量（含重新运行）</translation>
    </message>
    <message>
        <source>Simulator (demo)</source>
        <translation>模拟器（演示）</translation>
    </message>
    <message>
        <source>Provider: {where}</source>
        <translation>提供方：{where}</translation>
    </message>
    <message>
        <source>{provider} · {state}</source>
        <translation>{provider} · {state}</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <source>rate limit: sending in {seconds} s</source>
        <translation>速率限制：{seconds} 秒后发送</translation>
    </message>
    <message>
        <source>retrying in {seconds} s</source>
        <translation>{seconds} 秒后重试</translation>
    </message>
    <message>
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>This run: {tokens} tokens</source>
        <translation>本次运行令牌：{tokens}</translation>
    </message>
    <message>
        <source>Last run: {tokens} tokens</source>
        <translation>上次运行令牌：{tokens}</translation>
    </message>
    <message>
        <source>Today: 1 run · {tokens} tokens · {cost}</source>
        <translation>今天：1 次运行 · 令牌 {tokens} · {cost}</translation>
    </message>
    <message>
        <source>Today: {runs} runs · {tokens} tokens · {cost}</source>
        <translation>今天：{runs} 次运行 · 令牌 {tokens} · {cost}</translation>
    </message>
</context>
<context>
    <name>StepHeader</name>
    <message>
        <source>Run this step again, and the steps after it</source>
        <translation>重新运行此步骤及其后的步骤</translation>
    </message>
    <message>
        <source>Re-run {step}</source>
        <translation>重新运行{step}</translation>
    </message>
    <message>
        <source>expanded</source>
        <translation>已展开</translation>
    </message>
    <message>
        <source>collapsed</source>
        <translation>已折叠</translation>
    </message>
    <message>
        <source>Model: {model}</source>
        <translation>模型：{model}</translation>
    </message>
    <message>
        <source>{step}: {state}</source>
        <translation>{step}：{state}</translation>
    </message>
</context>
<context>
    <name>StepPanel</name>
    <message>
        <source>Waiting to start.</source>
        <translation>等待开始。</translation>
    </message>
    <message>
        <source>Not run: the run ended before this step.</source>
        <translation>未运行：运行在此步骤之前已结束。</translation>
    </message>
    <message>
        <source>Stopped. The text so far is kept.</source>
        <translation>已停止。已生成的文本已保留。</translation>
    </message>
    <message>
        <source>{step} step</source>
        <translation>{step}步骤</translation>
    </message>
    <message>
        <source>Notices</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>Reused from an identical run a few minutes ago: no model was called.</source>
        <translation>复用了几分钟前一次相同运行的结果：未调用模型。</translation>
    </message>
    <message>
        <source>Kept from the run this one re-runs.</source>
        <translation>沿用本次所重新运行的原运行的结果。</translation>
    </message>
    <message>
        <source>Counted locally: the provider sent no token usage</source>
        <translation>本地估算：提供方未返回令牌用量</translation>
    </message>
    <message>
        <source>Waiting for the model…</source>
        <translation>正在等待模型…</translation>
    </message>
    <message>
        <source>Stopped before any output.</source>
        <translation>在产生任何输出之前已停止。</translation>
    </message>
    <message>
        <source>{arrow} Raw answer</source>
        <translation>{arrow} 原始回答</translation>
    </message>
    <message>
        <source>{arrow} Thinking</source>
        <translation>{arrow} 思考</translation>
    </message>
</context>
<context>
    <name>StepSection</name>
    <message>
        <source>Raw output</source>
        <translation>原始输出</translation>
    </message>
    <message>
        <source>Parsed output</source>
        <translation>解析结果</translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation>推理</translation>
    </message>
    <message>
        <source>Route</source>
        <translation>路由</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>first token {time}</source>
        <translation>首个令牌用时 {time}</translation>
    </message>
    <message>
        <source>took {time}</source>
        <translation>耗时 {time}</translation>
    </message>
    <message>
        <source>tokens {tokens}</source>
        <translation>令牌 {tokens}</translation>
    </message>
    <message>
        <source>retries {count}</source>
        <translation>重试 {count} 次</translation>
    </message>
    <message>
        <source>cache hit</source>
        <translation>缓存命中</translation>
    </message>
    <message>
        <source>fallback model used</source>
        <translation>使用了备用模型</translation>
    </message>
    <message>
        <source>answer repaired</source>
        <translation>回答已修复</translation>
    </message>
    <message>
        <source>{step} step</source>
        <translation>“{step}”步骤</translation>
    </message>
    <message>
        <source>no model</source>
        <translation>无模型</translation>
    </message>
    <message>
        <source>Kept from run {run}.</source>
        <translation>沿用自运行 {run}。</translation>
    </message>
    <message>
        <source>Messages sent</source>
        <translation>发送的消息</translation>
    </message>
    <message>
        <source>Nothing else was recorded for this step.</source>
        <translation>此步骤没有记录其他内容。</translation>
    </message>
    <message>
        <source>Details the agent did not see</source>
        <translation>客服看不到的详情</translation>
    </message>
</context>
<context>
    <name>StepState</name>
    <message>
        <source>queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>streaming</source>
        <translation>生成中</translation>
    </message>
    <message>
        <source>done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <source>cached</source>
        <translation>已缓存</translation>
    </message>
    <message>
        <source>kept</source>
        <translation>已保留</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>not run</source>
        <translation>未运行</translation>
    </message>
</context>
<context>
    <name>StepViews</name>
    <message>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Policy</source>
        <translation>政策</translation>
    </message>
    <message>
        <source>Orders {orders}</source>
        <translation>订单：{orders}</translation>
    </message>
    <message>
        <source>Deadline {date}</source>
        <translation>截止日期：{date}</translation>
    </message>
    <message>
        <source>Asks: {actions}</source>
        <translation>诉求：{actions}</translation>
    </message>
    <message>
        <source>Urgency {value}</source>
        <translation>紧急程度：{value}</translation>
    </message>
    <message>
        <source>Sentiment {value}</source>
        <translation>情绪：{value}</translation>
    </message>
    <message>
        <source>Language {value}</source>
        <translation>语言：{value}</translation>
    </message>
    <message>
        <source>Not found in the store for this customer: {orders}</source>
        <translation>在店铺记录中未找到该客户的以下订单：{orders}</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>source: {id}</source>
        <translation>来源：{id}</translation>
    </message>
    <message>
        <source>The store record this fact comes from</source>
        <translation>此信息所依据的店铺记录</translation>
    </message>
</context>
<context>
    <name>StepsPane</name>
    <message>
        <source>Assistant steps</source>
        <translation>助手步骤</translation>
    </message>
</context>
<context>
    <name>SupervisorWindow</name>
    <message>
        <source>Stepwise — supervisor</source>
        <translation>Stepwise — 主管</translation>
    </message>
    <message>
        <source>Supervisor views</source>
        <translation>主管视图</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <source>Flagged steps</source>
        <translation>已标记的步骤</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>仪表板</translation>
    </message>
</context>
<context>
    <name>Terms</name>
    <message>
        <source>order status</source>
        <translation>订单状态</translation>
    </message>
    <message>
        <source>shipping expedite</source>
        <translation>加急配送</translation>
    </message>
    <message>
        <source>refund request</source>
        <translation>退款请求</translation>
    </message>
    <message>
        <source>return request</source>
        <translation>退货请求</translation>
    </message>
    <message>
        <source>discount request</source>
        <translation>折扣请求</translation>
    </message>
    <message>
        <source>product inquiry</source>
        <translation>产品咨询</translation>
    </message>
    <message>
        <source>cancellation</source>
        <translation>取消订单</translation>
    </message>
    <message>
        <source>address change</source>
        <translation>地址变更</translation>
    </message>
    <message>
        <source>damaged item</source>
        <translation>商品损坏</translation>
    </message>
    <message>
        <source>complaint escalation</source>
        <translation>投诉升级</translation>
    </message>
    <message>
        <source>account issue</source>
        <translation>账户问题</translation>
    </message>
    <message>
        <source>other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>shipped</source>
        <translation>已发货</translation>
    </message>
    <message>
        <source>processing</source>
        <translation>处理中</translation>
    </message>
    <message>
        <source>delivered</source>
        <translation>已送达</translation>
    </message>
    <message>
        <source>in transit</source>
        <translation>运输中</translation>
    </message>
    <message>
        <source>exception</source>
        <translation>异常</translation>
    </message>
    <message>
        <source>delayed</source>
        <translation>延误</translation>
    </message>
    <message>
        <source>label created</source>
        <translation>已创建运单</translation>
    </message>
    <message>
        <source>express</source>
        <translation>特快</translation>
    </message>
    <message>
        <source>standard</source>
        <translation>标准</translation>
    </message>
    <message>
        <source>overnight</source>
        <translation>次日达</translation>
    </message>
    <message>
        <source>web</source>
        <translation>网页</translation>
    </message>
    <message>
        <source>email</source>
        <translation>邮件</translation>
    </message>
    <message>
        <source>chat</source>
        <translation>在线聊天</translation>
    </message>
    <message>
        <source>low</source>
        <translation>低</translation>
    </message>
    <message>
        <source>normal</source>
        <translation>普通</translation>
    </message>
    <message>
        <source>high</source>
        <translation>高</translation>
    </message>
    <message>
        <source>positive</source>
        <translation>积极</translation>
    </message>
    <message>
        <source>neutral</source>
        <translation>中性</translation>
    </message>
    <message>
        <source>frustrated</source>
        <translation>沮丧</translation>
    </message>
    <message>
        <source>angry</source>
        <translation>愤怒</translation>
    </message>
</context>
<context>
    <name>TicketDelegate</name>
    <message>
        <source>Unknown customer</source>
        <translation>未知客户</translation>
    </message>
</context>
<context>
    <name>TicketView</name>
    <message>
        <source>Ticket</source>
        <translation>工单</translation>
    </message>
    <message>
        <source>Customer message</source>
        <translation>客户消息</translation>
    </message>
    <message>
        <source>Select a ticket in the inbox.</source>
        <translation>请在收件箱中选择一个工单。</translation>
    </message>
    <message>
        <source>Received {time} · via {channel} · {ticket}</source>
        <translation>{time} 收到 · 来自 {channel} · {ticket}</translation>
    </message>
</context>
<context>
    <name>UpdateNotice</name>
    <message>
        <source>Stepwise {version} is available: &lt;a href=&quot;{url}&quot;&gt;download&lt;/a&gt;</source>
        <translation>Stepwise {version} 已发布：&lt;a href=&quot;{url}&quot;&gt;下载&lt;/a&gt;</translation>
    </message>
    <message>
        <source>Stepwise {version} is available</source>
        <translation>Stepwise {version} 已发布</translation>
    </message>
</context>
</TS>
