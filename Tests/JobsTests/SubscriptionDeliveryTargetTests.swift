@testable import Jobs
import Testing

/// The rest-hook client's URL handling: what it connects to, and what it refuses for good.
@Suite struct SubscriptionDeliveryTargetTests {
    @Test(arguments: [
        ("http://127.0.0.1:8080/hook", "127.0.0.1", 8080, "/hook"),
        ("http://system.example/", "system.example", 80, "/"),
        ("http://system.example", "system.example", 80, "/"),
        ("HTTP://system.example:81?x=1", "system.example", 81, "/?x=1"),
        ("http://[::1]:9000/a/b", "::1", 9000, "/a/b"),
    ])
    func httpURLsAreSplitIntoHostPortAndPath(url: String, host: String, port: Int, path: String) throws {
        let target = try HookClient.Target(url)
        #expect(target.host == host && target.port == port && target.path == path)
    }

    @Test(arguments: ["https://system.example/hook", "ftp://system.example/", "http://", "http://host:0/", "http://host:x/"])
    func otherURLsArePermanentFailures(url: String) {
        do {
            _ = try HookClient.Target(url)
            Issue.record("\(url) was accepted")
        } catch {
            #expect(!error.isTransient)
        }
    }

    @Test(arguments: [(400, false), (404, false), (408, true), (429, true), (500, true), (503, true)])
    func onlyServerSideAndThrottlingStatusesAreRetried(code: Int, transient: Bool) {
        #expect(HookClient.Failure.status(code).isTransient == transient)
    }
}
