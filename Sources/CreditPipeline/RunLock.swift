import CreditArchive
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One run at a time per archive: an exclusive `flock` on `<archive>.lock`, taken before the
/// archive is opened, so a second run fails at once with who holds it instead of creating a run
/// row and then failing on "database is locked" and blaming a healthy file.
///
/// The kernel releases the lock when its process dies, so a lock left by a killed run is simply
/// taken over; the file's text (pid, run, start) only tells people who held it.
final class RunLock {
    let path: String
    private let descriptor: Int32
    /// What the file said when the lock was taken: the previous holder, if one left it.
    let previousHolder: String?

    /// Takes the lock or throws ``PipelineError`` (`.locked`) naming the holder.
    init(archive: String) throws(PipelineError) {
        path = archive + ".lock"
        let directory = (archive as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw PipelineError(.archive, "\(directory): cannot create the archive's folder (\(error))")
            }
        }
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw PipelineError(.archive, "\(path): cannot open the run lock (\(String(cString: strerror(errno)))); "
                + "check that the archive's folder is writable")
        }
        let text = Self.read(descriptor)
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno
            close(descriptor)
            if reason == EWOULDBLOCK {
                throw PipelineError(.locked, "\(archive): \(text.isEmpty ? "another run" : text) is in progress; "
                    + "this run did not start. Wait for it to finish (the lock is \(path))")
            }
            throw PipelineError(.archive, "\(path): cannot take the run lock (\(String(cString: strerror(reason))))")
        }
        previousHolder = text.isEmpty ? nil : text
    }

    deinit {
        // Closing releases the lock; the text stays for people, and the next run overwrites it.
        close(descriptor)
    }

    /// Says who holds the lock: `run N since … (pid …)`. Returns false when the text could not
    /// be written (the lock itself is held either way; only the message to others is lost).
    func describe(run: Int64, since: String) -> Bool {
        let text = "run \(run) since \(since) (pid \(getpid()))"
        guard ftruncate(descriptor, 0) == 0 else { return false }
        return text.withCString { pwrite(descriptor, $0, strlen($0), 0) == strlen($0) }
    }

    private static func read(_ descriptor: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        return count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines) : ""
    }
}

/// SIGTERM and SIGINT asked the run to stop: it rolls back the file it is archiving, marks the
/// run `interrupted`, writes the report of what it had archived, and exits 130 (SIGINT) or 143
/// (SIGTERM). Installed by the command line; the runner asks between batches.
public final class Interruption: @unchecked Sendable {
    private let lock = NSLock()
    private var received: Int32?
    private var sources: [any DispatchSourceSignal] = []

    public init() {}

    /// Routes SIGTERM and SIGINT to this object instead of ending the process.
    public func install() {
        for number in [SIGTERM, SIGINT] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.note(number) }
            source.resume()
            sources.append(source)
        }
    }

    private var actions: [@Sendable () -> Void] = []

    /// Runs `action` (once) when the first signal arrives: a worker waiting on the server cancels
    /// the server's statement, which no check between batches would reach.
    public func onSignal(_ action: @escaping @Sendable () -> Void) {
        lock.lock()
        let already = received != nil
        if !already { actions.append(action) }
        lock.unlock()
        if already { action() }
    }

    func note(_ signal: Int32) {
        lock.lock()
        let first = received == nil
        if first { received = signal }
        let pending = first ? actions : []
        actions.removeAll()
        lock.unlock()
        for action in pending { action() }
    }

    /// The signal received, if any.
    public var receivedSignal: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return received
    }
}
