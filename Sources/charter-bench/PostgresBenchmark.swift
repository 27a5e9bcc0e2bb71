func runPostgresBenchmark(_ arguments: [String]) -> Int32 { 1 }
