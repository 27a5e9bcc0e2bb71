// Removed when the calendar command lands.
enum CalendarCommand { static func run(_ arguments: [String]) -> Int32 { 1 } }
