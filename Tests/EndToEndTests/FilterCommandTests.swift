import Foundation
import Testing

/// The `anonlog` filter as an operator runs it: exact output bytes, exit codes, files on disk.
@Suite struct FilterCommandTests {
    @Test(arguments: ["access.log", "auth.log", "app.log", "manifest-tar.txt", "manifest.jsonl"])
    func bundledSampleGivesTheExpectedOutput(name: String) throws {
        let sample = Anonlog.packageRoot.appendingPathComponent("Samples/\(name)").path
        let dot = name.lastIndex(of: ".")!
        let expectedName = name[..<dot] + ".redacted" + name[dot...]
        let expected = try Data(contentsOf: Anonlog.packageRoot.appendingPathComponent("Samples/\(expectedName)"))
        for jobs in ["1", "2", "8"] {
            let result = try Anonlog.run(["--profile", "redact", "--today", "2026-11-26", "-j", jobs, "--chunk-size", "100", sample])
            #expect(result.status == 0)
            #expect(result.stdout == [UInt8](expected), "-j \(jobs)")
        }
    }

    /// Regression (issue 13): named inputs go through the trusted-link rule; root's and the
    /// user's own links (`/dev/stdin` is root's link to /proc's) must still work.
    @Test func namedStandardInputAndProcessSubstitutionStillWork() throws {
        let sample = Anonlog.packageRoot.appendingPathComponent("Samples/access.log").path
        let expected = Anonlog.packageRoot.appendingPathComponent("Samples/access.redacted.log").path
        let binary = Anonlog.binary.path
        let viaStdin = try Anonlog.shell("'\(binary)' --profile redact --today 2026-11-26 /dev/stdin < '\(sample)' | cmp - '\(expected)'")
        #expect(viaStdin.status == 0)
        let viaPipe = try Anonlog.shell("cat '\(sample)' | '\(binary)' --profile redact --today 2026-11-26 /dev/fd/0 | cmp - '\(expected)'")
        #expect(viaPipe.status == 0)
    }

    @Test func stdinToStdoutWithStats() throws {
        let result = try Anonlog.run(["--profile", "redact", "--stats"], stdin: Array("a 1.2.3.4 b 5.6.7.8\n".utf8))
        #expect(result.status == 0)
        #expect(result.stdout == Array("a 0.0.0.0 b 0.0.0.0\n".utf8))
        #expect(result.stderr.contains("anonlog: ipv4: 2"))
        #expect(result.stderr.contains("bytes in: 20"))
        #expect(!result.stderr.contains("1.2.3.4"))
    }

    @Test func gzipOutputIsIdenticalForEveryThreadCountAndReadableByGzip() throws {
        let directory = try Anonlog.tempDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let sample = Anonlog.packageRoot.appendingPathComponent("Samples/access.log").path
        let input = directory.appendingPathComponent("big.log.gz").path
        // ~2 MB of sample lines, so there are several chunks at the default chunk size.
        _ = try Anonlog.shell("for i in $(seq 1 250); do cat '\(sample)'; done | gzip -c > '\(input)'")
        // The plain copy is larger than a chunk, so it runs on threads (and is mapped); the
        // small .gz runs inline on one thread. Both must give the same gzip bytes.
        let plain = directory.appendingPathComponent("big.log").path
        _ = try Anonlog.shell("gzip -dc '\(input)' > '\(plain)'")
        var outputs: [[UInt8]] = []
        for source in [input, plain] {
            for jobs in ["1", "2", "8"] {
                let result = try Anonlog.run(["--profile", "redact", "-j", jobs, "--output-format", "gzip", source])
                #expect(result.status == 0)
                outputs.append(result.stdout)
            }
        }
        #expect(outputs.allSatisfy { $0 == outputs[0] })
        let outPath = directory.appendingPathComponent("out.gz").path
        try Data(outputs[0]).write(to: URL(fileURLWithPath: outPath))
        let viaGzip = try Anonlog.shell("gzip -dc '\(outPath)'")
        let expected = try Anonlog.shell("for i in $(seq 1 250); do cat '\(Anonlog.packageRoot.path)/Samples/access.redacted.log'; done")
        #expect(viaGzip.status == 0)
        #expect(viaGzip.stdout == expected.stdout)
    }

    @Test func inPlaceKeepsFormatModeAndMtime() throws {
        let directory = try Anonlog.tempDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("access.log.1.gz").path
        _ = try Anonlog.shell("printf 'x 1.2.3.4 y\\n' | gzip -c > '\(path)' && chmod 640 '\(path)' && touch -d '2026-01-02 03:04:05' '\(path)'")
        let before = try FileManager.default.attributesOfItem(atPath: path)
        let result = try Anonlog.run(["--profile", "redact", "--in-place", path])
        #expect(result.status == 0, "\(result.stderr)")
        let after = try FileManager.default.attributesOfItem(atPath: path)
        #expect(after[.posixPermissions] as? Int == 0o640)
        #expect(after[.modificationDate] as? Date == before[.modificationDate] as? Date)
        #expect(try Anonlog.shell("gzip -dc '\(path)'").stdout == Array("x 0.0.0.0 y\n".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["access.log.1.gz"])
    }

    /// Regression (issue 16): `--in-place a b c d` with `b` corrupt stopped at `b` and left
    /// `c` and `d` raw.
    @Test func inPlaceGoesOnPastAFailedFile() throws {
        let directory = try Anonlog.tempDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let paths = ["a", "b", "c", "d"].map { directory.appendingPathComponent("\($0).log.gz").path }
        for path in paths { _ = try Anonlog.shell("printf 'x 192.0.2.1 y\\n' | gzip -c > '\(path)'") }
        _ = try Anonlog.shell("printf 'x 192.0.2.1 y\\n' | gzip -c | head -c 20 > '\(paths[1])'")
        let corrupt = try Data(contentsOf: URL(fileURLWithPath: paths[1]))
        let result = try Anonlog.run(["--profile", "redact", "--in-place"] + paths)
        #expect(result.status == 2)
        #expect(result.stderr.contains(paths[1]) && result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        for path in [paths[0], paths[2], paths[3]] {
            #expect(try Anonlog.shell("gzip -dc '\(path)'").stdout == Array("x 0.0.0.0 y\n".utf8), "\(path)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: paths[1])) == corrupt)
    }

    /// Regression (issue 16): a log with a zeroed block (an unclean shutdown) counted as
    /// binary and kept its raw data; bzip2/lz4/zstd logs were "rewritten" as plain text into
    /// garbage with exit 0. Now the log is rewritten, the others are refused or skipped with
    /// a line each, and a skip that may leave text raw makes the exit status 1.
    @Test func nothingIsSkippedWithoutAWord() throws {
        let directory = try Anonlog.tempDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let tree = directory.appendingPathComponent("site")
        try FileManager.default.createDirectory(at: tree, withIntermediateDirectories: true)
        let zeroed = tree.appendingPathComponent("crashed.log").path
        var log = Data("x 192.0.2.1 y\n".utf8)
        log.append(Data(repeating: 0, count: 4096))
        log.append(Data("z 192.0.2.2 w\n".utf8))
        try log.write(to: URL(fileURLWithPath: zeroed))
        let bzipped = tree.appendingPathComponent("old.log.bz2").path
        _ = try Anonlog.shell("printf 'x 192.0.2.1 y\\n' > '\(bzipped).src' && (bzip2 -c '\(bzipped).src' 2>/dev/null || printf 'BZh91AY&SY' ) > '\(bzipped)' && rm '\(bzipped).src'")
        let bzippedBytes = try Data(contentsOf: URL(fileURLWithPath: bzipped))
        let binary = tree.appendingPathComponent("logo.png").path
        // Bytes of a fixed pseudo-random sequence (compressed image data looks like this).
        var state: UInt32 = 2_463_534_242
        try Data((0..<8192).map { _ -> UInt8 in
            state ^= state << 13; state ^= state >> 17; state ^= state << 5
            return UInt8(truncatingIfNeeded: state)
        }).write(to: URL(fileURLWithPath: binary))

        // The filter and --in-place refuse a bzip2 file and leave it as it was.
        let filtered = try Anonlog.run(["--profile", "redact", bzipped])
        #expect(filtered.status == 2)
        #expect(filtered.stderr == "anonlog: \(bzipped): is bzip2 data, which anonlog cannot read; left untouched\n")
        #expect(try Anonlog.run(["--profile", "redact", "--in-place", bzipped]).status == 2)
        #expect(try Data(contentsOf: URL(fileURLWithPath: bzipped)) == bzippedBytes)

        // scan finds the addresses in the zeroed log and names every skipped file.
        let scanned = try Anonlog.run(["scan", "-r", tree.path])
        #expect(scanned.status == 1)
        #expect(String(decoding: scanned.stdout, as: UTF8.self).contains("crashed.log:1:3: ipv4"))
        #expect(scanned.stderr.contains("old.log.bz2: is bzip2 data") && scanned.stderr.contains("logo.png: skipped (binary"), "\(scanned.stderr)")

        // --in-place -r rewrites the zeroed log, names both skips, and exits 1 for the bzip2 one.
        let rewritten = try Anonlog.run(["--profile", "redact", "--in-place", "-r", tree.path])
        #expect(rewritten.status == 1, "\(rewritten.stderr)")
        #expect(rewritten.stderr.contains("old.log.bz2: is bzip2 data") && rewritten.stderr.contains("logo.png: binary"), "\(rewritten.stderr)")
        let after = try Data(contentsOf: URL(fileURLWithPath: zeroed))
        #expect(after == Data("x 0.0.0.0 y\n".utf8) + Data(repeating: 0, count: 4096) + Data("z 0.0.0.0 w\n".utf8))
        #expect(try Data(contentsOf: URL(fileURLWithPath: bzipped)) == bzippedBytes)
    }

    /// Regression (issue 16): a killed `--in-place` left `.NAME.anonlog-XXXXXX` behind, raw
    /// data that every later `--in-place -r` failed on (exit 2) and backups kept. Now a stray
    /// is never an input; one no process holds locked is removed, one a running rewrite holds
    /// is left alone.
    @Test func strayTempFilesOfAKilledRunAreRemovedAndNeverInputs() throws {
        let directory = try Anonlog.tempDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("x.log").path
        let stray = directory.appendingPathComponent(".x.log.anonlog-AbC123").path
        let busy = directory.appendingPathComponent(".y.log.anonlog-XyZ789").path
        try "x 192.0.2.1 y\n".write(toFile: log, atomically: true, encoding: .utf8)
        try "raw 192.0.2.9 half-written\n".write(toFile: stray, atomically: true, encoding: .utf8)
        try "raw 192.0.2.8 being written\n".write(toFile: busy, atomically: true, encoding: .utf8)
        // A running rewrite holds its temp file locked.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = [busy, "sleep", "5"]
        try holder.run()
        defer { holder.terminate() }
        usleep(200_000)
        let scanned = try Anonlog.run(["scan", "-r", directory.path])
        #expect(scanned.stderr.contains(".x.log.anonlog-AbC123: skipped (an unfinished rewrite's temp file)"), "\(scanned.stderr)")
        #expect(!String(decoding: scanned.stdout, as: UTF8.self).contains(".anonlog-AbC123:"))
        let result = try Anonlog.run(["--profile", "redact", "--in-place", "-r", directory.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("a killed run's temp file, removed") && result.stderr.contains("a running rewrite's temp file, left alone"))
        #expect(!FileManager.default.fileExists(atPath: stray))
        #expect(FileManager.default.fileExists(atPath: busy))
        #expect(try String(contentsOfFile: log, encoding: .utf8) == "x 0.0.0.0 y\n")
        // A plain `--in-place FILE` removes its own file's stray too.
        try "raw 192.0.2.9 half-written\n".write(toFile: stray, atomically: true, encoding: .utf8)
        #expect(try Anonlog.run(["--profile", "redact", "--in-place", log]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: stray))
    }

    /// Regression (issue 16): walks stopped at 1000 levels (and paths past PATH_MAX could not
    /// be walked by name at all). A tree 1500 levels deep, its path 4,500 bytes long, is
    /// walked and rewritten through directory descriptors.
    @Test func aTreeDeeperThanPathMaxIsWalked() throws {
        let directory = try Anonlog.tempDirectory()
        defer { _ = try? Anonlog.shell("rm -rf '\(directory.path)'") }
        var fd = open(directory.path, O_RDONLY | O_DIRECTORY)
        #expect(fd >= 0)
        var chain: [Int32] = [fd]
        for _ in 0..<1500 {
            #expect(mkdirat(fd, "dd", 0o755) == 0)
            fd = openat(fd, "dd", O_RDONLY | O_DIRECTORY)
            chain.append(fd)
        }
        let file = openat(fd, "deep.log", O_WRONLY | O_CREAT, 0o644)
        _ = write(file, "x 192.0.2.1 y\n", 14)
        close(file)
        let result = try Anonlog.run(["--profile", "redact", "--in-place", "-r", directory.path])
        #expect(result.status == 0, "\(result.stderr.prefix(300))")
        let reader = openat(fd, "deep.log", O_RDONLY)
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(reader, &buffer, 64)
        close(reader)
        for descriptor in chain { close(descriptor) }
        #expect(Array(buffer[0..<max(0, count)]) == Array("x 0.0.0.0 y\n".utf8))
    }

    /// Regression (issue 16): an xz header announcing a 4 GiB dictionary (a 72-byte file) made
    /// each worker allocate gigabytes; it is refused under the default 256 MiB limit, and
    /// `--in-place` leaves it untouched.
    @Test func xzNeedingMoreThanTheMemoryLimitIsRefused() throws {
        let directory = try Anonlog.tempDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("huge.xz").path
        _ = try Anonlog.shell("printf 'x 192.0.2.1 y\\n' | xz --lzma2=dict=4KiB -c > '\(path)'")
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        // The block header follows the 12-byte stream header: size, flags, filter 0x21 (LZMA2),
        // one property byte (the dictionary size; 40 means 4 GiB), padding, CRC-32.
        let headerSize = (Int(bytes[12]) + 1) * 4
        #expect(bytes[14] == 0x21 && bytes[15] == 1)
        bytes[16] = 40
        let crc = Self.crc32(bytes[12..<(12 + headerSize - 4)])
        for k in 0..<4 { bytes[12 + headerSize - 4 + k] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(k))) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let result = try Anonlog.run(["--profile", "redact", "--in-place", path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("needs more memory than the limit of 256 MiB"), "\(result.stderr)")
        // The core's message names no flag; the command line adds its own.
        #expect(result.stderr.contains("(--xz-memlimit MiB raises the limit)"), "\(result.stderr)")
        #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) == bytes)
        let allowed = try Anonlog.run(["--profile", "redact", "--xz-memlimit", "8192", path])
        #expect(allowed.status == 0, "\(allowed.stderr)")
    }

    @Test func keygenRefusesToReplaceAKeyAndSaysHow() throws {
        let directory = try Anonlog.tempDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("key").path
        #expect(try Anonlog.run(["keygen", "-o", path]).status == 0)
        let first = try String(contentsOfFile: path, encoding: .utf8)
        let again = try Anonlog.run(["keygen", "-o", path])
        #expect(again.status == 2)
        #expect(again.stderr == "anonlog: \(path): a key already exists (replacing it means old pseudonyms no longer match); use --force to replace it\n")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == first)
        #expect(try Anonlog.run(["keygen", "--force", "-o", path]).status == 0)
        #expect(try String(contentsOfFile: path, encoding: .utf8) != first)
        let missing = try Anonlog.run(["--key-file", path + ".missing", "/dev/null"])
        #expect(missing.status == 2)
        let hint = "; create one with 'anonlog keygen -o " + path + ".missing'\n"
        #expect(missing.stderr.hasSuffix(hint), "\(missing.stderr)")
    }

    /// CRC-32 (IEEE), bit by bit: enough for one block header.
    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    /// Regression (issue 16): `-o same.log same.log` truncated the input to nothing, exit 0.
    @Test func outputThatIsAnInputIsRefused() throws {
        let directory = try Anonlog.tempDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("same.log").path, link = directory.appendingPathComponent("link.log").path
        try "x 192.0.2.1 y\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(link.withCString { l in path.withCString { symlink($0, l) } } == 0)
        for arguments in [["-o", path, path], ["--append", "-o", path, path], ["-o", link, path], ["-o", path, "-", link]] {
            let result = try Anonlog.run(["--profile", "redact"] + arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.contains("is also an input"), "\(result.stderr)")
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "x 192.0.2.1 y\n")
        }
    }

    /// Regression (issue 16): lines a writer appends while `--in-place` rewrites the file are
    /// never lost: the rewrite notices the growth and leaves the file as it was (exit 2), or
    /// they arrive after the rename, in the new file.
    @Test func linesAppendedDuringAnInPlaceRewriteAreNeverLost() throws {
        let directory = try Anonlog.tempDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("live.log").path
        let line = String(repeating: "192.0.2.7 - - [30/Nov/2026:10:00:00 +0100] \"GET / HTTP/1.1\" 200 1\n", count: 1)
        try String(repeating: line, count: 200_000).write(toFile: path, atomically: true, encoding: .utf8)
        let appender = Process()
        appender.executableURL = URL(fileURLWithPath: "/bin/sh")
        appender.arguments = ["-c", "for i in $(seq 1 400); do echo \"appended-$i\" >> '\(path)'; done"]
        try appender.run()
        let result = try Anonlog.run(["--profile", "redact", "-j", "1", "--in-place", path])
        appender.waitUntilExit()
        #expect(result.status == 0 || (result.status == 2 && result.stderr.contains("changed while it was rewritten")), "\(result.stderr)")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let appended = text.split(separator: "\n").filter { $0.hasPrefix("appended-") }.map(String.init)
        #expect(appended == (1...400).map { "appended-\($0)" })
    }

    @Test(arguments: ["gzip", "xz", "zstd"])
    func inPlaceOnATruncatedFileLeavesItUntouched(tool: String) throws {
        let directory = try Anonlog.tempDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("dump.sql.z").path
        let sample = Anonlog.packageRoot.appendingPathComponent("Samples/access.log").path
        _ = try Anonlog.shell("\(tool) -c '\(sample)' | head -c 900 > '\(path)'")
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        let result = try Anonlog.run(["--profile", "redact", "--in-place", path])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("anonlog: \(path): truncated"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == original)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["dump.sql.z"])
    }

    @Test func recursiveInPlaceRewritesTextFilesAndSkipsBinaries() throws {
        let directory = try Anonlog.tempDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let sub = directory.appendingPathComponent("a/b")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        try Data("x 192.0.2.1\n".utf8).write(to: directory.appendingPathComponent("a/one.log"))
        _ = try Anonlog.shell("printf 'y 192.0.2.2\n' | gzip -c > '\(sub.path)/two.log.gz' && chmod 600 '\(sub.path)/two.log.gz'")
        let binary = Data([0x00, 0x01] + Array(" 192.0.2.3".utf8))
        try binary.write(to: sub.appendingPathComponent("blob.bin"))
        let result = try Anonlog.run(["--profile", "redact", "--in-place", "--recursive", directory.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try String(contentsOf: directory.appendingPathComponent("a/one.log"), encoding: .utf8) == "x 0.0.0.0\n")
        #expect(try Anonlog.shell("gzip -dc '\(sub.path)/two.log.gz'").stdout == Array("y 0.0.0.0\n".utf8))
        #expect((try FileManager.default.attributesOfItem(atPath: sub.appendingPathComponent("two.log.gz").path)[.posixPermissions] as? Int) == 0o600)
        #expect(try Data(contentsOf: sub.appendingPathComponent("blob.bin")) == binary)
    }

    @Test func diskFullIsOneClearLine() throws {
        let sample = Anonlog.packageRoot.appendingPathComponent("Samples/access.log").path
        let result = try Anonlog.run(["--profile", "redact", "-o", "/dev/full", sample])
        #expect(result.status == 2)
        #expect(result.stderr == "anonlog: writing /dev/full: No space left on device\n")
        // Regression: cleaning up after the failure once unlinked /dev/full itself (as root).
        let attributes = try FileManager.default.attributesOfItem(atPath: "/dev/full")
        #expect(attributes[.type] as? FileAttributeType == .typeCharacterSpecial)
    }

    @Test func failedRunRemovesItsPartialOutputFile() throws {
        let directory = try Anonlog.tempDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let sample = Anonlog.packageRoot.appendingPathComponent("Samples/access.log").path
        let input = directory.appendingPathComponent("cut.gz").path
        _ = try Anonlog.shell("gzip -c '\(sample)' | head -c 1500 > '\(input)'")
        let output = directory.appendingPathComponent("out.log").path
        let result = try Anonlog.run(["--profile", "redact", "-o", output, input])
        #expect(result.status == 2)
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func missingFileAndDirectoryAreInputErrors() throws {
        let missing = try Anonlog.run(["--profile", "redact", "/nonexistent/access.log"])
        #expect(missing.status == 2)
        #expect(missing.stderr == "anonlog: /nonexistent/access.log: No such file or directory\n")
        let directory = try Anonlog.run(["--profile", "redact", "/tmp"])
        #expect(directory.status == 2)
        #expect(directory.stderr == "anonlog: /tmp: is a directory\n")
    }

    @Test func brokenPipeExitsQuietly() throws {
        let sample = Anonlog.packageRoot.appendingPathComponent("Samples/access.log").path
        let command = "for i in $(seq 1 400); do cat '\(sample)'; done > \"$TMPDIR/big.log\"; "
            + "'\(Anonlog.binary.path)' --profile redact \"$TMPDIR/big.log\" 2>\"$TMPDIR/err\" | head -c 10 >/dev/null; "
            + "echo \"${PIPESTATUS[0]}\"; cat \"$TMPDIR/err\""
        let directory = try Anonlog.tempDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try Anonlog.shell("TMPDIR='\(directory.path)' bash -c '\(command.replacingOccurrences(of: "'", with: "'\\''"))'")
        #expect(String(decoding: result.stdout, as: UTF8.self) == "0\n")
    }

    @Test func defaultProfileCreatesTheKeyOnceAndPseudonymises() throws {
        let config = try Anonlog.tempDirectory()
        defer { try? FileManager.default.removeItem(at: config) }
        let environment = ["XDG_CONFIG_HOME": config.path]
        let input = Array("192.0.2.1 - erik [26/Nov/2026:11:37:17 +0100] \"GET /?e=anna%40example.se HTTP/1.1\" 200 5\n".utf8)
        let first = try Anonlog.run([], stdin: input, environment: environment)
        #expect(first.status == 0)
        #expect(first.stderr == "anonlog: created a new key in \(config.path)/anonlog/key (keep it secret and backed up: pseudonyms depend on it)\n")
        let second = try Anonlog.run([], stdin: input, environment: environment)
        #expect(second.stderr.isEmpty)
        #expect(second.stdout == first.stdout)
        let text = String(decoding: first.stdout, as: UTF8.self)
        // Exact fields, not substrings: a random key's tokens could spell anything.
        #expect(!text.contains("192.0.2.1 ") && !text.contains(" erik ") && !text.contains("anna%40"))
        let token = try Anonlog.run(["pseudonym", "--type", "email", "anna@example.se"], environment: environment)
        #expect(text.contains(String(decoding: token.stdout, as: UTF8.self).trimmingCharacters(in: .newlines).replacingOccurrences(of: "@", with: "%40")))
        let user = try Anonlog.run(["pseudonym", "--type", "username", "erik"], environment: environment)
        #expect(text.contains(" " + String(decoding: user.stdout, as: UTF8.self).trimmingCharacters(in: .newlines) + " ["))
    }

    @Test func noRawValueReachesStderr() throws {
        let sample = Anonlog.packageRoot.appendingPathComponent("Samples/auth.log").path
        let result = try Anonlog.run(["--stats", "-o", "/dev/full", sample])
        #expect(result.status == 2)
        for raw in ["anna.svensson", "198.51.100.23", "karin", "erik42"] { #expect(!result.stderr.contains(raw)) }
        let good = try Anonlog.run(["--stats", sample])
        for raw in ["anna.svensson", "198.51.100.23", "karin", "erik42"] { #expect(!good.stderr.contains(raw)) }
    }

    @Test func usageErrorsExitTwo() throws {
        let unknown = try Anonlog.run(["--no-such-flag"])
        #expect(unknown.status == 2)
        let undefined = try Anonlog.run(["--user", "encrypt"], stdin: Array("1.2.3.4\n".utf8))
        #expect(undefined.status == 2)
        #expect(undefined.stderr == "anonlog: action 'encrypt' is not defined for username\n")
        #expect(undefined.stdout.isEmpty)
        let help = try Anonlog.run(["--help"])
        #expect(help.status == 0)
    }
}
