// swift-tools-version:6.2
// Charter: the hosted back office of industry alliances and associations.
// Modules are listed in reading order; see README.md for the walk through Sources/.
import PackageDescription

let strict: [SwiftSetting] = [
  .swiftLanguageMode(.v6),
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
  name: "Charter",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "charterd", targets: ["charterd"]),
    .executable(name: "charter", targets: ["charter"]),
  ],
  // Operations only (docs/architecture.md, issue 7): logging and metrics of the daemon.
  dependencies: [
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
    .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
  ],
  targets: [
    // C libraries as Swift modules: one system-library module per library, and a
    // prefixed shim target holding only what Swift cannot import (macros).
    .systemLibrary(
      name: "CLibPQ", path: "Sources/CLibPQ", pkgConfig: "libpq",
      providers: [.apt(["libpq-dev"])]),
    .target(
      name: "CCharterLibPQShims", dependencies: ["CLibPQ"], path: "Sources/CCharterLibPQShims"),
    .systemLibrary(
      name: "COpenSSL", path: "Sources/COpenSSL", pkgConfig: "openssl",
      providers: [.apt(["libssl-dev"])]),
    .target(
      name: "CCharterOpenSSLShims", dependencies: ["COpenSSL"], path: "Sources/CCharterOpenSSLShims"
    ),
    .target(name: "CCharterPOSIXShims", path: "Sources/CCharterPOSIXShims"),
    .systemLibrary(
      name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
      providers: [.apt(["libcurl4-openssl-dev"])]),
    .target(name: "CCharterCurlShims", dependencies: ["CCurl"], path: "Sources/CCharterCurlShims"),
    .systemLibrary(
      name: "CLibEdit", path: "Sources/CLibEdit", pkgConfig: "libedit",
      providers: [.apt(["libedit-dev"])]),

    // Pure Swift, no I/O.
    .target(name: "CharterTOML", swiftSettings: strict),
    .target(name: "CharterCalendar", dependencies: ["CharterTOML"], swiftSettings: strict),
    .target(
      name: "CharterGovernance", dependencies: ["CharterCalendar", "CharterTOML"],
      swiftSettings: strict),
    .target(name: "CharterProtocol", swiftSettings: strict),

    // I/O layers.
    .target(
      name: "CharterPostgres", dependencies: ["CLibPQ", "CCharterLibPQShims"],
      swiftSettings: strict),
    .target(
      name: "CharterTLS", dependencies: ["COpenSSL", "CCharterOpenSSLShims"], swiftSettings: strict),
    .target(
      name: "CharterCrypto", dependencies: ["COpenSSL", "CCharterOpenSSLShims"],
      swiftSettings: strict),
    .target(
      name: "CharterPostgresServer", dependencies: ["CCharterPOSIXShims"], swiftSettings: strict),
    .target(name: "CharterStore", dependencies: ["CharterPostgres"], swiftSettings: strict),
    .target(
      name: "CharterScheduler", dependencies: ["CharterPostgres", "CharterStore"],
      swiftSettings: strict),
    .target(
      name: "CharterAdminServer",
      dependencies: ["CharterProtocol", "CharterTLS", "CCharterPOSIXShims"], swiftSettings: strict),
    .target(
      name: "CharterAccounts",
      dependencies: [
        "CharterAdminServer", "CharterProtocol", "CharterStore", "CharterPostgres", "CharterCrypto",
        "CharterScheduler", "CharterDelivery",
      ],
      swiftSettings: strict),
    // The governance workflows (issue 5): the rules engine's transitions persisted, driven by
    // admin commands and deadline jobs.
    .target(
      name: "CharterWorkflows",
      dependencies: [
        "CharterGovernance", "CharterCalendar", "CharterPostgres", "CharterStore",
        "CharterScheduler", "CharterDelivery", "CharterAccounts", "CharterAdminServer",
        "CharterProtocol",
      ],
      swiftSettings: strict),
    .target(
      name: "CharterShell", dependencies: ["CharterProtocol", "CharterTLS", "CLibEdit"],
      swiftSettings: strict),
    .target(
      name: "CharterDelivery",
      dependencies: [
        "CharterPostgres", "CharterStore", "CharterScheduler", "CharterCrypto", "CCurl",
        "CCharterCurlShims",
      ],
      swiftSettings: strict),
    .target(name: "CharterSystemd", swiftSettings: strict),
    .target(
      name: "CharterDaemon",
      dependencies: [
        "CharterTOML", "CharterCalendar", "CharterGovernance", "CharterPostgres",
        "CharterPostgresServer", "CharterStore", "CCharterPOSIXShims", "CharterAdminServer",
        "CharterAccounts", "CharterTLS", "CharterScheduler", "CharterDelivery", "CharterSystemd",
        "CharterWorkflows", "CharterCrypto", "CharterProtocol",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Metrics", package: "swift-metrics"),
        .product(name: "Prometheus", package: "swift-prometheus"),
      ],
      swiftSettings: strict),

    // Executables: thin mains over the libraries above.
    .executableTarget(name: "charterd", dependencies: ["CharterDaemon"], swiftSettings: strict),
    .executableTarget(name: "charter", dependencies: ["CharterShell"], swiftSettings: strict),
    // Benchmarks, run in release by Scripts/bench: each reports a ratio to a baseline
    // measured in the same run.
    .executableTarget(
      name: "charter-bench",
      dependencies: [
        "CharterAdminServer", "CharterCalendar", "CharterPostgres", "CharterProtocol", "CharterTLS",
        "CharterScheduler", "CharterDelivery", "CharterStore", "CharterWorkflows",
        "CharterAccounts",
        "CharterGovernance", "CharterCrypto",
      ],
      swiftSettings: strict),

    // Tests in tiers: pure unit tests, integration tests on a real PostgreSQL,
    // end-to-end tests on the built daemon. `swift test --filter` picks a tier.
    // Shared test support (a private, migrated database per test); test targets cannot
    // import one another.
    .target(
      name: "CharterTestSupport", dependencies: ["CharterPostgres", "CharterStore"],
      path: "Tests/CharterTestSupport", swiftSettings: strict),
    .testTarget(name: "CharterTOMLTests", dependencies: ["CharterTOML"], swiftSettings: strict),
    .testTarget(
      name: "CharterCalendarTests", dependencies: ["CharterCalendar"], swiftSettings: strict),
    .testTarget(
      name: "CharterGovernanceTests", dependencies: ["CharterGovernance", "CharterCalendar"],
      swiftSettings: strict),
    .testTarget(
      name: "CharterProtocolTests", dependencies: ["CharterProtocol"], swiftSettings: strict),
    .testTarget(
      name: "CharterPostgresTests", dependencies: ["CharterPostgres", "CharterPostgresServer"],
      swiftSettings: strict),
    .testTarget(name: "CharterTLSTests", dependencies: ["CharterTLS"], swiftSettings: strict),
    .testTarget(name: "CharterCryptoTests", dependencies: ["CharterCrypto"], swiftSettings: strict),
    .testTarget(
      name: "CharterStoreTests",
      dependencies: ["CharterStore", "CharterPostgres", "CharterDaemon", "CharterTestSupport"],
      swiftSettings: strict),
    .testTarget(
      name: "CharterSchedulerTests",
      dependencies: [
        "CharterScheduler", "CharterStore", "CharterPostgres", "CharterPostgresServer",
        "CharterTestSupport",
      ],
      swiftSettings: strict),
    .testTarget(
      name: "CharterAdminServerTests",
      dependencies: ["CharterAdminServer", "CharterProtocol", "CharterTLS"], swiftSettings: strict),
    .testTarget(
      name: "CharterAccountsTests",
      dependencies: [
        "CharterAccounts", "CharterAdminServer", "CharterProtocol", "CharterStore",
        "CharterPostgres",
        "CharterCrypto", "CharterPostgresServer",
        "CharterTestSupport",
      ],
      swiftSettings: strict),
    .testTarget(
      name: "CharterWorkflowsTests",
      dependencies: [
        "CharterWorkflows", "CharterAccounts", "CharterAdminServer", "CharterProtocol",
        "CharterGovernance", "CharterCalendar", "CharterStore", "CharterPostgres",
        "CharterScheduler", "CharterDelivery", "CharterTestSupport",
      ],
      swiftSettings: strict),
    .testTarget(
      name: "CharterShellTests", dependencies: ["CharterShell", "CharterProtocol", "CharterTLS"],
      swiftSettings: strict),
    .testTarget(
      name: "CharterDeliveryTests",
      dependencies: [
        "CharterDelivery", "CharterScheduler", "CharterStore", "CharterPostgres", "CharterCrypto",
        "CharterTestSupport",
      ],
      exclude: ["Support/smtp_sink.py", "Support/webhook_sink.py"],
      swiftSettings: strict),
    .testTarget(
      name: "CharterSystemdTests", dependencies: ["CharterSystemd"], swiftSettings: strict),
    .testTarget(
      name: "CharterDaemonTests",
      dependencies: ["CharterDaemon", .product(name: "Logging", package: "swift-log")],
      swiftSettings: strict),
  ]
)
