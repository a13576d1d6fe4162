import Foundation

/// A throwaway PostgreSQL cluster for one test: `initdb` into the build folder, started on a
/// free local port (and a Unix socket in its own folder), stopped and removed at the end. It
/// never touches a system cluster. As root (CI), the server runs as the `postgres` user, since
/// PostgreSQL refuses to run as root.
public final class PostgresCluster {
    public let directory: String
    public let port: Int
    /// A libpq connection string to the cluster's `postgres` database as the `credit` user.
    public var conninfo: String { "host=\(directory) port=\(port) user=credit dbname=postgres" }
    private let bin: String
    private var running = false

    /// The PostgreSQL binaries (`CREDIT_ETL_POSTGRES_BIN`, else Debian's newest
    /// `/usr/lib/postgresql/<version>/bin`), or nil when the server is not installed: `make test`
    /// installs it (scripts/debian-packages-test.txt).
    public static func binaries() -> String? {
        if let configured = ProcessInfo.processInfo.environment["CREDIT_ETL_POSTGRES_BIN"], !configured.isEmpty {
            return FileManager.default.isExecutableFile(atPath: "\(configured)/initdb") ? configured : nil
        }
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap { Int($0) }
        guard let newest = versions.max() else { return nil }
        let bin = "\(root)/\(newest)/bin"
        return FileManager.default.isExecutableFile(atPath: "\(bin)/initdb") ? bin : nil
    }

    /// Why a cluster cannot start on this machine (PostgreSQL missing, or no way to run it as a
    /// user other than root), found once by starting and stopping one; nil when it can. Tests
    /// that need a server are skipped then, loudly, never passed.
    public static let unavailable: String? = {
        do {
            let trial = try PostgresCluster()
            trial.stop()
            return nil
        } catch {
            let reason = "\(error)"
            FileHandle.standardError.write(Data(("\n*** PostgreSQL tests SKIPPED: a throwaway cluster cannot start here: "
                + reason + " ***\n\n").utf8))
            return reason
        }
    }()

    public init() throws {
        guard let bin = Self.binaries() else {
            throw ClusterError("PostgreSQL is not installed: run `make test` (it installs Debian's postgresql), "
                               + "or apt-get install postgresql")
        }
        self.bin = bin
        // Short: a Unix socket's path must stay under 108 bytes.
        let name = String(UUID().uuidString.prefix(8)).lowercased()
        directory = Repository.path(".build/pg/\(name)")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        port = try Self.freePort()
        if geteuid() == 0 { try Self.run("/bin/chown", ["-R", "postgres:postgres", directory]) }
        try asServerUser("initdb", ["-D", "\(directory)/data", "-A", "trust", "-U", "credit", "-E", "UTF8",
                                    "--locale=C.UTF-8", "--no-sync"])
        try asServerUser("pg_ctl", ["-D", "\(directory)/data", "-l", "\(directory)/server.log", "-w", "-t", "60",
                                    "-o", "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c fsync=off", "start"])
        running = true
    }

    /// Stops the server (fast shutdown) and removes its files.
    public func stop() {
        guard running else { return }
        running = false
        try? asServerUser("pg_ctl", ["-D", "\(directory)/data", "-m", "fast", "-w", "stop"])
        try? FileManager.default.removeItem(atPath: directory)
    }

    deinit { stop() }

    private func asServerUser(_ tool: String, _ arguments: [String]) throws {
        if geteuid() == 0 {
            try Self.run("/usr/sbin/runuser", ["-u", "postgres", "--", "\(bin)/\(tool)"] + arguments)
        } else {
            try Self.run("\(bin)/\(tool)", arguments)
        }
    }

    /// Runs a tool to its end. Not through Foundation's Process alone: the server `pg_ctl`
    /// starts inherits the descriptors of whoever spawned it, and Process (like a pipe) waits for
    /// every holder of its own to close, that is for the server to stop. So the tool runs under
    /// Python's subprocess, which closes every other descriptor in the child (`close_fds`), with
    /// /dev/null for input and a file for its output.
    private static func run(_ executable: String, _ arguments: [String]) throws {
        let log = NSTemporaryDirectory() + "pg-tool-\(UUID().uuidString).log"
        defer { unlink(log) }
        var actions = posix_spawn_file_actions_t()
        guard posix_spawn_file_actions_init(&actions) == 0 else { throw ClusterError("posix_spawn_file_actions_init failed") }
        defer { posix_spawn_file_actions_destroy(&actions) }
        guard posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0) == 0,
              posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644) == 0,
              posix_spawn_file_actions_adddup2(&actions, 1, 2) == 0 else {
            throw ClusterError("cannot prepare to run \(executable)")
        }
        let python = "/usr/bin/python3"
        let wrapper = "import subprocess, sys; sys.exit(subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, cwd='/tmp').returncode)"
        let command = [python, "-c", wrapper, executable] + arguments
        let argv = command.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, python, &actions, nil, argv, environ)
        guard spawned == 0 else { throw ClusterError("\(executable): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw ClusterError("waitpid: \(String(cString: strerror(errno)))") }
        }
        // Exited normally with 0: WIFEXITED and WEXITSTATUS, which Swift does not import as macros.
        guard status & 0x7F == 0, (status >> 8) & 0xFF == 0 else {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw ClusterError("\((executable as NSString).lastPathComponent) \(arguments.first ?? "") failed "
                               + "(status \(status)): \(text)")
        }
    }

    /// A port nobody listens on now: bound to port 0, read back, released.
    private static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ClusterError("socket: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0 else { throw ClusterError("bind: \(String(cString: strerror(errno)))") }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { throw ClusterError("getsockname: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    public struct ClusterError: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }
}
