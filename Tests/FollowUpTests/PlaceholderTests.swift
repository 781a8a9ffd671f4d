import Testing
@testable import FollowUp

@Test func placeholderBuilds() {}
