/// Failures of the workflow layer that are not a rule's refusal (those are `Refusal`s of the
/// engine) nor a command's bad input (those are `CommandFailure`s).
enum WorkflowError: Error, CustomStringConvertible {
  /// A stored row the layer cannot read back (a state that no longer decodes, say).
  case corrupt(String)

  var description: String {
    switch self {
    case .corrupt(let what): "stored data cannot be read: \(what)"
    }
  }
}
