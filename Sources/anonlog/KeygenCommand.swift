import ArgumentParser
import AnonLogCore

/// `anonlog keygen [-o FILE]`: writes a new random key.
struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Write a new 256-bit key (64 hex digits, mode 0600).",
        discussion: "Without -o the key goes to the default key file. An existing key is never replaced without --force: every pseudonym made with it would stop matching."
    )

    @Option(name: .shortAndLong, help: "Where to write the key (default: the default key file).")
    var output: String?

    @Flag(help: "Replace an existing key file.")
    var force = false

    func run() throws {
        let path = output ?? KeyFile.resolvePath(explicit: nil).path
        try KeyFile.write(KeyFile.newKey(), to: path, overwrite: force)
        writeToStderr("anonlog: wrote a new key to \(path)\n")
    }
}
