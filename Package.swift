// swift-tools-version: 6.0
// ByNeed: no package dependencies by design (see ARCHITECTURE.md); C libraries only
// through the two system-library targets below.
import PackageDescription

let package = Package(
    name: "ByNeed",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "byneed", targets: ["byneed"]),
    ],
    targets: [
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCrypto", path: "Sources/CCrypto", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),

        .target(name: "JSON"),
        .target(name: "FHIRPath", dependencies: ["JSON"]),
        .target(name: "Questionnaire", dependencies: ["JSON", "FHIRPath"]),
        .target(name: "HTTPCore"),
        .target(name: "HTTPServer", dependencies: ["HTTPCore"]),
        .target(name: "SQLite", dependencies: ["CSQLite"]),
        .target(name: "Security", dependencies: ["CCrypto"]),
        .target(name: "Templating"),
        .target(name: "FollowUp", dependencies: ["Questionnaire", "JSON"]),
        .target(name: "Sharing"),
        .target(name: "Delivery", dependencies: ["Security"]),
        .target(name: "Storage", dependencies: ["SQLite", "Questionnaire", "JSON", "Security", "FollowUp", "Sharing"]),
        .target(name: "Jobs", dependencies: ["Storage", "FollowUp", "Delivery", "Questionnaire"]),
        .target(name: "FHIR", dependencies: ["JSON", "Questionnaire", "Storage", "FollowUp"]),
        .target(name: "Research", dependencies: ["Storage", "Questionnaire", "Security", "SQLite", "FollowUp"]),
        .target(name: "WebApp", dependencies: ["HTTPCore", "Storage", "Questionnaire", "Templating", "Security", "JSON", "FollowUp", "Sharing", "Delivery", "Jobs", "FHIR"]),
        .executableTarget(name: "byneed", dependencies: ["WebApp", "HTTPServer", "Storage", "Questionnaire", "Templating", "FHIRPath", "JSON", "FollowUp", "Delivery", "Jobs", "Research", "Sharing", "SQLite", "Security"]),

        .executableTarget(name: "ScoringBenchmark", dependencies: ["Questionnaire", "JSON"], path: "Benchmarks/Scoring"),
        .executableTarget(name: "BenchmarkSeeder", dependencies: ["Storage", "Questionnaire", "JSON", "FollowUp"], path: "Benchmarks/Seeder"),

        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "FHIRPathTests", dependencies: ["FHIRPath", "JSON"], exclude: ["Comparison"]),
        .testTarget(name: "QuestionnaireTests", dependencies: ["Questionnaire", "JSON"]),
        .testTarget(name: "HTTPCoreTests", dependencies: ["HTTPCore"]),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "HTTPCore"]),
        .testTarget(name: "SQLiteTests", dependencies: ["SQLite"]),
        .testTarget(name: "SecurityTests", dependencies: ["Security"]),
        .testTarget(name: "TemplatingTests", dependencies: ["Templating"]),
        .testTarget(name: "FollowUpTests", dependencies: ["FollowUp", "Questionnaire", "JSON"]),
        .testTarget(name: "SharingTests", dependencies: ["Sharing"]),
        .testTarget(name: "DeliveryTests", dependencies: ["Delivery"]),
        .testTarget(name: "JobsTests", dependencies: ["Jobs", "Storage", "FollowUp", "Delivery", "Questionnaire", "SQLite", "Sharing"]),
        .testTarget(name: "ResearchTests", dependencies: ["Research", "Storage", "Questionnaire", "SQLite", "FollowUp"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "SQLite", "Questionnaire", "JSON", "Sharing"]),
        .testTarget(name: "FHIRTests", dependencies: ["FHIR", "JSON", "Questionnaire", "Storage", "FollowUp", "SQLite"]),
        .testTarget(name: "WebAppTests", dependencies: ["WebApp", "HTTPServer", "HTTPCore", "Storage", "Questionnaire", "Templating", "JSON", "FollowUp", "SQLite", "Sharing", "Security"]),
    ],
    swiftLanguageModes: [.v6]
)
