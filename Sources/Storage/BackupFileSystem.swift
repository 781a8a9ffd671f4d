import Foundation
import Security

/// The POSIX file operations a backup and a restore need, each failing with the path, the
/// operation and `errno`, so the operator reads "cannot create /mnt/b.sqlite.partial-…:
/// Read-only file system (EROFS)" rather than a generic error.
///
/// Durability follows the usual rename protocol: write a temporary file next to the target,
/// fsync it, rename it over the target (atomic within one file system, POSIX `rename`), then
/// fsync the directory so the rename itself survives a crash.
enum BackupFileSystem {
    /// Bytes moved per read/write when copying a file.
    static let copyChunkBytes = 1 << 20

    /// `<path>.<label>-<16 random hex digits>`: a name next to `path` that no one else uses.
    static func temporaryName(for path: String, label: String) -> String {
        "\(path).\(label)-\(Hex.encode(SecureRandom.bytes(8)))"
    }

    /// Creates `path` as an empty file, readable by its owner only (0600: backups hold health
    /// data); fails when it exists. This is where an unwritable target shows first.
    static func createExclusive(_ path: String) throws(BackupError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .fileSystem(path: path, operation: "create", errno: errno) }
        close(descriptor)
    }

    /// Flushes `path`'s data and metadata to stable storage (fsync(2)); works for directories.
    static func sync(_ path: String) throws(BackupError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .fileSystem(path: path, operation: "open", errno: errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw .fileSystem(path: path, operation: "fsync", errno: errno) }
    }

    /// Flushes the directory that holds `path`, so a rename or link there is durable.
    static func syncDirectory(of path: String) throws(BackupError) {
        try sync(directory(of: path))
    }

    /// The directory part of `path` ("." for a bare file name).
    static func directory(of path: String) -> String {
        let parent = (path as NSString).deletingLastPathComponent
        return parent.isEmpty ? "." : parent
    }

    /// Renames `source` to `destination`, atomically replacing it (rename(2)).
    static func rename(_ source: String, to destination: String) throws(BackupError) {
        guard Glibc.rename(source, destination) == 0 else {
            throw .fileSystem(path: destination, operation: "rename \(source) to", errno: errno)
        }
    }

    /// A second name for `source` (link(2)); fails when `name` exists.
    static func link(_ source: String, as name: String) throws(BackupError) {
        guard Glibc.link(source, name) == 0 else {
            throw .fileSystem(path: name, operation: "link \(source) as", errno: errno)
        }
    }

    /// True when a file (or anything else) exists at `path`.
    static func exists(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }

    /// The size of the file at `path` in bytes, or nil when it does not exist.
    static func size(_ path: String) -> Int? {
        var status = stat()
        return stat(path, &status) == 0 ? Int(status.st_size) : nil
    }

    /// True when `first` and `second` name the same file (same device and inode).
    static func sameFile(_ first: String, _ second: String) -> Bool {
        var a = stat()
        var b = stat()
        return stat(first, &a) == 0 && stat(second, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino
    }

    /// Removes each of `paths` that exists; used on failure paths, where the original error is
    /// the one to report, so a failing unlink is ignored.
    static func removeIfPresent(_ paths: [String]) {
        for path in paths { unlink(path) }
    }

    /// The files SQLite may keep beside a database: its write-ahead log, its shared-memory
    /// index and its rollback journal ("SQLite: Temporary Files Used By SQLite" §2).
    static func siblings(of path: String) -> [(suffix: String, path: String)] {
        ["-wal", "-shm", "-journal"].map { ($0, path + $0) }
    }

    /// Copies `source` to a new file `destination` (0600, must not exist) and fsyncs it.
    static func copy(_ source: String, to destination: String) throws(BackupError) {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw .fileSystem(path: source, operation: "open", errno: errno) }
        defer { close(input) }
        let output = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard output >= 0 else { throw .fileSystem(path: destination, operation: "create", errno: errno) }
        defer { close(output) }
        var buffer = [UInt8](repeating: 0, count: copyChunkBytes)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            guard count >= 0 else { throw .fileSystem(path: source, operation: "read", errno: errno) }
            if count == 0 { break }
            try writeAll(buffer[..<count], to: output, path: destination)
        }
        guard fsync(output) == 0 else { throw .fileSystem(path: destination, operation: "fsync", errno: errno) }
    }

    /// Writes `bytes` to a new file `path` (0600, must not exist) and fsyncs it.
    static func write(_ bytes: [UInt8], to path: String) throws(BackupError) {
        let output = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard output >= 0 else { throw .fileSystem(path: path, operation: "create", errno: errno) }
        defer { close(output) }
        try writeAll(bytes[...], to: output, path: path)
        guard fsync(output) == 0 else { throw .fileSystem(path: path, operation: "fsync", errno: errno) }
    }

    /// write(2) until every byte is written; a short write is continued, an error thrown.
    private static func writeAll(_ bytes: ArraySlice<UInt8>, to descriptor: Int32, path: String) throws(BackupError) {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + written, $0.count - written) }
            guard count > 0 else { throw .fileSystem(path: path, operation: "write", errno: count < 0 ? errno : EIO) }
            written += count
        }
    }

    /// The lowercase hex SHA-256 of the file at `path`.
    ///
    /// `Security.SHA256` hashes a whole buffer at once, so this holds one copy of the file in
    /// memory while hashing (the file itself is memory-mapped): fine for the databases of one department (tens to hundreds of
    /// MiB); a streaming digest would be needed for files of many GiB.
    static func sha256(_ path: String) throws(BackupError) -> String {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw .fileSystem(path: path, operation: "read", errno: errorNumber(error))
        }
        return Hex.encode(SHA256.hash(data))
    }

    /// The POSIX error number behind a Foundation file error, or EIO when it names none.
    static func errorNumber(_ error: any Error) -> Int32 {
        let nsError = error as NSError
        if nsError.domain == NSPOSIXErrorDomain { return Int32(nsError.code) }
        guard let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
              underlying.domain == NSPOSIXErrorDomain else { return EIO }
        return Int32(underlying.code)
    }
}
