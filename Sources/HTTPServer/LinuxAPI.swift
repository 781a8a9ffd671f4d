import Glibc

/// The Linux calls Swift's `Glibc` module does not import (`<sys/epoll.h>`, `<sys/eventfd.h>`,
/// and the `_GNU_SOURCE` `accept4`), resolved once from libc with `dlsym` and called through
/// `@convention(c)` pointers, so the C ABI is honoured without a C target (the package allows
/// none besides CSQLite and CCrypto). Constants are the kernel ABI values from those headers.
enum LinuxAPI {
    // MARK: Constants (<sys/epoll.h>, <sys/eventfd.h>)

    /// `EPOLL_CLOEXEC`, defined as `O_CLOEXEC`.
    static let epollCloseOnExec = Int32(O_CLOEXEC)
    /// `EFD_CLOEXEC | EFD_NONBLOCK`, defined as `O_CLOEXEC | O_NONBLOCK`.
    static let eventFDFlags = Int32(O_CLOEXEC | O_NONBLOCK)
    static let controlAdd: Int32 = 1
    static let controlDelete: Int32 = 2
    static let controlModify: Int32 = 3
    static let readable: UInt32 = 0x001
    static let writable: UInt32 = 0x004
    static let error: UInt32 = 0x008
    static let hangUp: UInt32 = 0x010
    static let exclusive: UInt32 = 1 << 28

    /// `sizeof(struct epoll_event)`: packed (12 bytes) on x86_64, naturally aligned elsewhere.
    #if arch(x86_64)
    static let eventStride = 12
    static let eventDataOffset = 4
    #else
    static let eventStride = 16
    static let eventDataOffset = 8
    #endif

    // MARK: Functions

    private typealias EpollCreate1 = @convention(c) (Int32) -> Int32
    private typealias EpollControl = @convention(c) (Int32, Int32, Int32, UnsafeMutableRawPointer?) -> Int32
    private typealias EpollWait = @convention(c) (Int32, UnsafeMutableRawPointer?, Int32, Int32) -> Int32
    private typealias EventFD = @convention(c) (UInt32, Int32) -> Int32
    private typealias Accept4 = @convention(c) (Int32, UnsafeMutablePointer<sockaddr>?, UnsafeMutablePointer<socklen_t>?, Int32) -> Int32

    // Immutable after their one-time lazy initialisation, which Swift makes thread-safe; C function
    // pointers have no state, so sharing them between threads is safe.
    nonisolated(unsafe) private static let epollCreate1Pointer: EpollCreate1 = symbol("epoll_create1")
    nonisolated(unsafe) private static let epollControlPointer: EpollControl = symbol("epoll_ctl")
    nonisolated(unsafe) private static let epollWaitPointer: EpollWait = symbol("epoll_wait")
    nonisolated(unsafe) private static let eventFDPointer: EventFD = symbol("eventfd")
    nonisolated(unsafe) private static let accept4Pointer: Accept4 = symbol("accept4")

    private static func symbol<Function>(_ name: String) -> Function {
        guard let address = dlsym(nil, name) else { fatalError("libc does not export \(name); Linux is required") }
        return unsafeBitCast(address, to: Function.self)
    }

    /// `epoll_create1(flags)`.
    static func epollCreate(flags: Int32) -> Int32 {
        epollCreate1Pointer(flags)
    }

    /// `epoll_ctl(epfd, op, fd, &{events, data.u64 = id})`.
    static func epollControl(_ epfd: Int32, _ operation: Int32, _ fd: Int32, events: UInt32, id: UInt64) -> Int32 {
        withUnsafeTemporaryAllocation(byteCount: eventStride, alignment: 8) { buffer in
            buffer.storeBytes(of: events, toByteOffset: 0, as: UInt32.self)
            buffer.storeBytes(of: id, toByteOffset: eventDataOffset, as: UInt64.self)
            return epollControlPointer(epfd, operation, fd, buffer.baseAddress)
        }
    }

    /// `epoll_wait` into `buffer`, which holds `capacity` events.
    static func epollWait(_ epfd: Int32, _ buffer: EventBuffer, timeoutMilliseconds: Int32) -> Int32 {
        epollWaitPointer(epfd, buffer.storage, Int32(buffer.capacity), timeoutMilliseconds)
    }

    /// `eventfd(0, flags)`.
    static func eventFD(flags: Int32) -> Int32 {
        eventFDPointer(0, flags)
    }

    /// `accept4(fd, address, length, flags)`.
    static func accept4(_ fd: Int32, _ address: UnsafeMutablePointer<sockaddr>?,
                        _ length: UnsafeMutablePointer<socklen_t>?, _ flags: Int32) -> Int32 {
        accept4Pointer(fd, address, length, flags)
    }

    // MARK: Event buffer

    /// Raw storage for `epoll_wait` results, read with unaligned loads (the struct is packed on x86_64).
    /// Owned by one event loop thread; not Sendable.
    final class EventBuffer {
        let capacity: Int
        fileprivate let storage: UnsafeMutableRawPointer

        init(capacity: Int) {
            self.capacity = capacity
            storage = UnsafeMutableRawPointer.allocate(byteCount: capacity * LinuxAPI.eventStride, alignment: 8)
        }

        /// The event mask and user data of result `index`.
        func event(at index: Int) -> (events: UInt32, id: UInt64) {
            let base = index * LinuxAPI.eventStride
            return (storage.loadUnaligned(fromByteOffset: base, as: UInt32.self),
                    storage.loadUnaligned(fromByteOffset: base + LinuxAPI.eventDataOffset, as: UInt64.self))
        }

        deinit {
            storage.deallocate()
        }
    }
}
