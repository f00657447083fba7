; Stepwise for Windows: a per-user installer (no administrator rights), NSIS 3.
;
;   python packaging/build.py --smoke --installer        (passes every define below)
;   makensis -DVERSION=0.1.0 -DVERSION_QUAD=0.1.0.0 -DSOURCE_DIR=<one-folder build>
;            -DOUTFILE=<setup.exe> packaging/windows/stepwise.nsi
;
; The version comes from pyproject.toml through the build script; this file never spells it out.
; Installs into %LOCALAPPDATA%\Programs\Stepwise, adds a Start-menu shortcut and registers the
; uninstaller under HKCU. User data (database, settings, drafts) lives in platformdirs' user data
; folder, %LOCALAPPDATA%\Stepwise, outside the install folder: neither an upgrade nor the
; uninstaller touches it, and the uninstaller says so.

Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma
RequestExecutionLevel user

!ifndef VERSION
  !error "Pass the version: makensis -DVERSION=x.y.z (packaging/build.py reads pyproject.toml)"
!endif
!ifndef VERSION_QUAD
  !error "Pass the four-part file version: -DVERSION_QUAD=x.y.z.0"
!endif
!ifndef SOURCE_DIR
  !error "Pass the PyInstaller one-folder build: -DSOURCE_DIR=<dist\stepwise>"
!endif
!ifndef OUTFILE
  !define OUTFILE "Stepwise-${VERSION}-setup.exe"
!endif
!ifndef GUI_EXE
  !define GUI_EXE "Stepwise.exe"
!endif
!ifndef CLI_EXE
  !define CLI_EXE "stepwise-cli.exe"
!endif

!define APP_NAME "Stepwise"
!define PUBLISHER "Stepwise"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_NAME}"
!define DATA_DIR "$LOCALAPPDATA\${APP_NAME}"
!define ICON "${__FILEDIR__}/../icons/stepwise.ico"

Name "${APP_NAME} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP_NAME}"
; An upgrade goes where the last version went, even when the user chose another folder then.
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
BrandingText "${APP_NAME} ${VERSION}"
ShowInstDetails show
ShowUninstDetails show

VIProductVersion "${VERSION_QUAD}"
VIFileVersion "${VERSION_QUAD}"
VIAddVersionKey "ProductName" "${APP_NAME}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "FileDescription" "${APP_NAME} installer"
VIAddVersionKey "CompanyName" "${PUBLISHER}"
VIAddVersionKey "LegalCopyright" "MIT licence, the ${APP_NAME} authors"

!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "WordFunc.nsh"
!include "LogicLib.nsh"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${GUI_EXE}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!define MUI_UNCONFIRMPAGE_TEXT_TOP "$(UnDataNote)"
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; The app ships English and Simplified Chinese; NSIS picks the one matching Windows' language.
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "SimpChinese"

LangString UnDataNote ${LANG_ENGLISH} "Your tickets, drafts, settings and run history in ${DATA_DIR} are kept; delete that folder yourself to remove them. API keys stay in Windows Credential Manager (entries for $\"stepwise$\")."
LangString UnDataNote ${LANG_SIMPCHINESE} "您在 ${DATA_DIR} 中的工单、草稿、设置和运行记录会保留；如需删除，请自行删除该文件夹。API 密钥仍保存在 Windows 凭据管理器中（“stepwise”条目）。"
LangString DataKept ${LANG_ENGLISH} "Kept your data in ${DATA_DIR}."
LangString DataKept ${LANG_SIMPCHINESE} "已保留您的数据：${DATA_DIR}"
LangString AppRunning ${LANG_ENGLISH} "${APP_NAME} is running. Close it, then choose Retry."
LangString AppRunning ${LANG_SIMPCHINESE} "${APP_NAME} 正在运行。请先关闭它，然后点击“重试”。"
LangString NewerInstalled ${LANG_ENGLISH} "${APP_NAME} $0 is installed, which is newer than ${VERSION}. Install ${VERSION} over it anyway? Your data is kept either way."
LangString NewerInstalled ${LANG_SIMPCHINESE} "已安装的 ${APP_NAME} $0 比 ${VERSION} 更新。仍要用 ${VERSION} 覆盖安装吗？您的数据都会保留。"

; Delete one program file, asking the user to close Stepwise while Windows holds it open.
!macro DeleteProgramFile path
  ${If} ${FileExists} "${path}"
    ${Do}
      ClearErrors
      Delete "${path}"
      ${IfNot} ${Errors}
        ${Break}
      ${EndIf}
      MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(AppRunning)" /SD IDCANCEL IDRETRY +2
      Abort
    ${Loop}
  ${EndIf}
!macroend

Function .onInit
  ReadRegStr $0 HKCU "${UNINSTALL_KEY}" "DisplayVersion"
  ${If} $0 != ""
    ${VersionCompare} "$0" "${VERSION}" $1
    ${If} $1 == 1
      MessageBox MB_YESNO|MB_ICONQUESTION "$(NewerInstalled)" /SD IDNO IDYES +2
      Abort
    ${EndIf}
  ${EndIf}
FunctionEnd

Section "Install"
  SetShellVarContext current
  ; An older version's program files go first: a stale Qt plugin or extension module beside the
  ; new ones can break the app. Only files we install are removed, never the user data folder.
  !insertmacro DeleteProgramFile "$INSTDIR\${GUI_EXE}"
  !insertmacro DeleteProgramFile "$INSTDIR\${CLI_EXE}"
  RMDir /r "$INSTDIR\_internal"

  SetOutPath "$INSTDIR"
  File "${SOURCE_DIR}\${GUI_EXE}"
  File "${SOURCE_DIR}\${CLI_EXE}"
  SetOutPath "$INSTDIR\_internal"
  File /r "${SOURCE_DIR}\_internal\*.*"
  SetOutPath "$INSTDIR"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortcut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\${GUI_EXE}" "" "$INSTDIR\${GUI_EXE}" 0

  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$\"$INSTDIR\${GUI_EXE}$\",0"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" "$\"$INSTDIR\uninstall.exe$\""
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" "$\"$INSTDIR\uninstall.exe$\" /S"
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" $0
SectionEnd

Section "Uninstall"
  SetShellVarContext current
  !insertmacro DeleteProgramFile "$INSTDIR\${GUI_EXE}"
  !insertmacro DeleteProgramFile "$INSTDIR\${CLI_EXE}"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\uninstall.exe"
  ; Not /r: the folder may be one the user chose and keeps other files in.
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${APP_NAME}.lnk"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DetailPrint "$(DataKept)"
SectionEnd
