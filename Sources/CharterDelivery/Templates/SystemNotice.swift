/// The notices the delivery system writes itself, to the tenant's secretariat mailbox; their
/// wording is a template like any other, overridable per tenant (TEMPLATE SET).
public enum SystemNotice: String, Sendable, CaseIterable {
  /// DELIVERY TEST: parameters `tenant`, `channel`, `actor`, `time`.
  case deliveryTest = "delivery_test"
  /// The webhook endpoint was disabled (RELIABILITY R12): parameters `endpoint` (the URL with
  /// its query values masked), `since`, `reason` (the endpoint's last reply).
  case webhookDisabled = "webhook_disabled"

  var chinese: NoticeTemplate {
    switch self {
    case .deliveryTest:
      NoticeTemplate(
        subject: "测试通知：{{tenant}}",
        textBody:
          "这是一条测试通知，用于确认 {{channel}} 投递设置可用。\n发起人：{{actor}}；时间：{{time}}。无需回复。")
    case .webhookDisabled:
      NoticeTemplate(
        subject: "Webhook 已停用：{{endpoint}}",
        textBody:
          "Webhook 接收地址 {{endpoint}} 持续投递失败，已于 {{since}} 停用；此后的 Webhook 通知不再发送。\n"
          + "最后一次答复：{{reason}}\n\n"
          + "接收端修复后，请在管理终端执行 DELIVERY ENABLE webhook（或重新设置 DELIVERY SET webhook=…）恢复投递。"
          + "停用期间未送达的通知可用 NOTICES LIST state=dead 查看，并用 NOTICES RETRY 重新发送。")
    }
  }

  var english: NoticeTemplate {
    switch self {
    case .deliveryTest:
      NoticeTemplate(
        subject: "Test notice: {{tenant}}",
        textBody:
          "This is a test notice confirming that the {{channel}} delivery settings work.\n"
          + "Requested by {{actor}} at {{time}}. No reply is needed.")
    case .webhookDisabled:
      NoticeTemplate(
        subject: "Webhook disabled: {{endpoint}}",
        textBody:
          "The webhook endpoint {{endpoint}} kept failing and was disabled at {{since}}; "
          + "further webhook notices are not sent.\nLast reply: {{reason}}\n\n"
          + "Once the endpoint is fixed, run DELIVERY ENABLE webhook (or DELIVERY SET webhook=…) "
          + "in the admin shell to resume. Notices not delivered meanwhile are listed by "
          + "NOTICES LIST state=dead and sent again with NOTICES RETRY.")
    }
  }
}
