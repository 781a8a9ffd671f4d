import Testing
@testable import Delivery

@Test func placeholderBuilds() {}
