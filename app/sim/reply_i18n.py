"""Chinese and Spanish replies from fixed phrases, one per kind of resolution sentence.

A simulator cannot translate free text, so each sentence of the (English) resolution is matched
against a short list of actions; the first match supplies the phrase, with the sentence's first
date spelled the local way. Simple, but it reads like a reply in the customer's language.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from app.sim.dates import SPANISH_MONTHS
from app.sim.ticket import parse_date

# (pattern over one resolution sentence, Chinese phrase, Spanish phrase); first match wins.
ACTIONS: tuple[tuple[str, str, str], ...] = (
    (
        r"reship|upgrade the shipping",
        "我们会用隔夜快递为您寄出商品{free}，预计{date}送达。",
        "Le enviaremos los artículos por envío urgente{free}; llegarán el {date}.",
    ),
    (
        r"ordered today",
        "如果今天下单，预计{date}送达。",
        "Si hace el pedido hoy, llegará el {date}.",
    ),
    (
        r"cannot arrive in time",
        "如果包裹未能按时送达，我们会为您全额退款。",
        "Si el paquete no llega a tiempo, le reembolsaremos el importe completo.",
    ),
    (
        r"duplicate charge",
        "我们已将重复扣款转交账务团队，他们会在两个工作日内回复您。",
        "Hemos pasado el cargo duplicado al equipo de facturación, que le responderá en dos días "
        "hábiles.",
    ),
    (
        r"\bwe will cancel\b",
        "我们会为您取消订单并全额退款。",
        "Cancelaremos su pedido y le reembolsaremos el importe completo.",
    ),
    (
        r"already shipped",
        "订单已经发出，无法取消；您可以拒收包裹或办理退货。",
        "Su pedido ya salió, así que no se puede cancelar; puede rechazar la entrega o devolverlo.",
    ),
    (
        r"store credit",
        "由于已超过退款期限，我们可以为您提供商店积分。",
        "Como ya pasó el plazo de reembolso, le ofrecemos crédito en la tienda.",
    ),
    (
        r"goodwill credit",
        "我们会在您的账户中加入一笔补偿积分，以表歉意。",
        "Le añadiremos un crédito de cortesía a su cuenta por las molestias.",
    ),
    (r"price difference", "我们会为您退还差价。", "Le reembolsaremos la diferencia de precio."),
    (r"expired", "该优惠码已过期，无法使用。", "Ese código ya caducó y no podemos aplicarlo."),
    (
        r"do not stack",
        "优惠码与 VIP 折扣不能叠加，以较大者为准。",
        "Los códigos no se combinan con el descuento VIP; se aplica el mayor.",
    ),
    (
        r"\bexchange\b",
        "我们会免费为您换货，并发送预付退货运单。",
        "Le cambiaremos el artículo sin costo y le enviaremos una etiqueta de devolución "
        "prepagada.",
    ),
    (
        r"return label",
        "我们会把退货运单发给您，商品寄回仓库后即为您退款。",
        "Le enviaremos una etiqueta de devolución; el reembolso llegará cuando recibamos el "
        "paquete.",
    ),
    (r"\brefund", "我们会为您办理退款。", "Le tramitaremos el reembolso."),
    (
        r"send (?:a replacement|the \w+ item)",
        "我们会免费为您补发{express}。{label}",
        "Le enviaremos el artículo de nuevo sin costo{express}.{label}",
    ),
    (r"address", "我们会为您更改收货地址{free}。", "Cambiaremos la dirección de entrega{free}."),
    (
        r"carrier trace",
        "我们也已向承运商发起包裹追踪。",
        "También hemos abierto una investigación con la transportista.",
    ),
    (
        r"on its way",
        "您的包裹正在运输途中，预计{date}送达。",
        "Su paquete está en camino y llegará el {date}.",
    ),
    (
        r"supervisor",
        "我已请主管审核，会在一个工作日内回复您。",
        "He pedido la aprobación de un supervisor y le responderé en un día hábil.",
    ),
    (
        r"discount|code",
        "VIP 折扣会以优惠码的形式用于您的下一笔订单。",
        "El descuento VIP se aplica como un código para su próximo pedido.",
    ),
    (
        r"cannot find order",
        "我们没有找到该订单，请您核对确认邮件中的订单号。",
        "No encontramos ese pedido; ¿podría revisar el número en el correo de confirmación?",
    ),
    (
        r"order number",
        "请告诉我们您的订单号，以便我们查询。",
        "¿Podría indicarnos su número de pedido para revisarlo?",
    ),
)
_FRAMES = {
    "zh": (
        "{name}您好，",
        "感谢您的来信，很抱歉{subject}给您带来了不便。",
        "我们已经仔细查看了您的情况，会尽快为您处理。",
        "如有任何问题，请随时回复此邮件。",
        "祝好，",
    ),
    "es": (
        "Hola {name},",
        "Gracias por escribirnos sobre {subject}; lamentamos las molestias.",
        "Hemos revisado su caso y lo resolveremos lo antes posible.",
        "Si tiene cualquier otra pregunta, responda a este correo.",
        "Saludos cordiales,",
    ),
}


def localized_body(
    language: str, name: str, resolution: str, intent: dict[str, Any], agent: str
) -> str | None:
    """The reply in ``language``, or None when there are no phrases for it (English is used)."""
    frame = _FRAMES.get(language)
    if frame is None:
        return None
    greeting, opening, fallback, closing, sign_off = frame
    order_ids = intent.get("order_ids") or []
    if language == "zh":
        subject = f"订单 #{order_ids[0]} " if order_ids else "此事"
    else:
        subject = f"su pedido #{order_ids[0]}" if order_ids else "su consulta"
    lines = _phrases(language, resolution) or [fallback]
    parts = [
        greeting.format(name=name or ("顾客" if language == "zh" else "")).replace(" ,", ","),
        opening.format(subject=subject),
        "\n".join(lines) if language == "zh" else " ".join(lines),
        closing,
        f"{sign_off}\n{agent}",
    ]
    return "\n\n".join(parts)


def _phrases(language: str, resolution: str) -> list[str]:
    column = 1 if language == "zh" else 2
    phrases: list[str] = []
    for sentence in re.split(r"(?<=[.;])\s+", resolution):
        for action in ACTIONS:
            if re.search(action[0], sentence, re.IGNORECASE):
                phrase = action[column].format(**_slots(sentence, language))
                if phrase not in phrases:
                    phrases.append(phrase)
                break
    return phrases


def _slots(sentence: str, language: str) -> dict[str, str]:
    found = re.search(r"\d{4}-\d{2}-\d{2}", sentence)
    when = parse_date(found.group(0)) if found else None
    lowered = sentence.lower()
    free = "free" in lowered or "waived" in lowered
    express = "express" in lowered
    keep = "no need to send" in lowered
    label = "prepaid label" in lowered and not keep
    if language == "zh":
        return {
            "date": _date(when, language) if when else "近日",
            "free": "（免费）" if free else "",
            "express": "（快递）" if express else "",
            "label": "原商品无需寄回。"
            if keep
            else ("我们会附上预付运单，方便您寄回原商品。" if label else ""),
        }
    return {
        "date": _date(when, language) if when else "pronto",
        "free": " sin costo" if free else "",
        "express": " por envío exprés" if express else "",
        "label": " No hace falta devolver el original."
        if keep
        else (" Incluimos una etiqueta prepagada para devolver el original." if label else ""),
    }


def _date(when: date, language: str) -> str:
    if language == "zh":
        return f"{when.month}月{when.day}日"
    return f"{when.day} de {SPANISH_MONTHS[when.month - 1]}"
