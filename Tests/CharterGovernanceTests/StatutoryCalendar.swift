import Foundation

@testable import CharterGovernance

/// The statutory calendar the tests use.
enum StatutoryCalendar {
    static func load() throws -> WorkingCalendar {
        // 2024 arrangement (State Council General Office, 国办发明电〔2023〕7号): only the autumn
        // holidays the tests cross.
        let rest = ["2024-09-15", "2024-09-16", "2024-09-17"]
            + (1...7).map { "2024-10-0\($0)" }
        let working = ["2024-09-14", "2024-09-29", "2024-10-12"]
        return WorkingCalendar(
            restDays: Set(rest.compactMap { CivilDate(iso: $0) }),
            extraWorkingDays: Set(working.compactMap { CivilDate(iso: $0) }))
    }
}
