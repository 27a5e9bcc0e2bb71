func runCalendarBenchmark(_ arguments: [String]) -> Int32 { 1 }
