import Glibc

/// The outcome of a non-blocking system call that did not fail.
enum SyscallResult<Value> {
    /// The call succeeded with this value.
    case done(Value)
    /// The call would block (EAGAIN/EWOULDBLOCK); wait for readiness.
    case wouldBlock
}

/// The one wrapper for system calls: retries EINTR, returns EAGAIN as a value, throws other errors typed.
enum Syscall {
    /// Runs `body` (which returns -1 and sets errno on failure) until it is not interrupted.
    static func call<T: BinaryInteger>(_ name: String, _ body: () -> T) throws(HTTPServerError) -> SyscallResult<T> {
        while true {
            let result = body()
            guard result == -1 else { return .done(result) }
            let code = errno
            switch code {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default: throw .systemCall(name: name, errno: code)
            }
        }
    }

    /// Like ``call(_:_:)`` for calls that must not block; EAGAIN is an error here.
    @discardableResult
    static func require<T: BinaryInteger>(_ name: String, _ body: () -> T) throws(HTTPServerError) -> T {
        switch try call(name, body) {
        case .done(let value): return value
        case .wouldBlock: throw .systemCall(name: name, errno: EAGAIN)
        }
    }
}
