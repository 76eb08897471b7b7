/// A failed PAPI call: PAPI's return code, the call that returned it, the event it was about
/// (if any) and PAPI's own text for the code (`PAPI_strerror`).
///
/// PAPI's text alone misleads (a misspelt preset gives "Not supported", a preset with no PMU
/// behind it "Event does not exist"), so `EventProbe` adds its own classification on top.
public struct PAPIError: Error, Equatable, Sendable, CustomStringConvertible {
  /// PAPI's return code, e.g. -7 for `PAPI_ENOEVNT`. 0 when PAPI was not called at all
  /// (built without PAPI).
  public let code: Int32
  /// The PAPI function that failed, e.g. `"PAPI_add_event"`.
  public let call: String
  /// The event name the call was about, or nil.
  public let event: String?
  /// PAPI's own description of `code` (`PAPI_strerror`), e.g. "Event does not exist".
  public let text: String

  /// Makes an error value; `text` should be PAPI's own text for `code`.
  public init(code: Int32, call: String, event: String? = nil, text: String) {
    self.code = code
    self.call = call
    self.event = event
    self.text = text
  }

  /// `"PAPI_add_event(PAPI_TOT_CYC) failed: Event does not exist (-7)"`.
  /// With `code == 0` (PAPI not called) just `text`.
  public var description: String {
    if code == 0 { return text }
    let subject = event.map { "\(call)(\($0))" } ?? call
    return "\(subject) failed: \(text) (\(code))"
  }

  /// The error every call returns in a build without the `PAPI` trait.
  package static let builtWithoutPAPI = PAPIError(
    code: 0, call: "PAPI", text: CounterReason.builtWithoutPAPI)
}
