/// How a member took part in one meeting or activity (RULES.md §5: every meeting keeps
/// present / by proxy / by correspondence / excused / absent).
public enum AttendanceMark: String, Sendable, Hashable, CaseIterable, Codable {
    case present, proxy, correspondence, excused, absent
}

/// "Absent N consecutive times": which marks count as an absence, when to remind, and when
/// the consequence applies. Proxy and correspondence never count (RULES.md §0 [interp]);
/// whether an excused absence counts is the charter's (DTPC art. 19 counts only 无故).
public struct AbsenceRule: Sendable, Equatable {
    public var consecutive: Int
    public var remindAfter: Int?
    public var countedMarks: Set<AttendanceMark>

    public init(consecutive: Int, remindAfter: Int? = nil, countedMarks: Set<AttendanceMark>) {
        self.consecutive = consecutive
        self.remindAfter = remindAfter
        self.countedMarks = countedMarks
    }

    /// The streak after one more mark. Marks that do not count as an absence but are not an
    /// attendance either (an excused absence where only unexcused ones count) leave the
    /// streak as it was: DTPC art. 19 speaks of consecutive unexcused absences, and an
    /// excused one in between neither breaks nor extends it [interp].
    public func streak(after previous: Int, mark: AttendanceMark) -> Int {
        if countedMarks.contains(mark) { return previous + 1 }
        switch mark {
        case .present, .proxy, .correspondence: return 0
        case .excused, .absent: return previous
        }
    }
}

/// An inclusive share such as 二分之一以上 (RULES.md §0): met when count/total >= n/d, compared
/// in integers.
public struct Proportion: Sendable, Hashable, CustomStringConvertible {
    public let numerator: Int
    public let denominator: Int

    public init(_ numerator: Int, _ denominator: Int) {
        self.numerator = numerator
        self.denominator = max(denominator, 1)
    }

    public func isMet(_ count: Int, of total: Int) -> Bool {
        guard total > 0 else { return false }
        return count * denominator >= numerator * total
    }

    public var description: String { "\(numerator)/\(denominator)" }
}
