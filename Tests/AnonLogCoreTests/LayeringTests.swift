import Foundation
import Testing

/// AnonLogCore's folders depend downward only (`Sources/AnonLogCore/README.md`): no file uses
/// a type, protocol or top-level function declared in a folder above its own.
@Suite struct LayeringTests {
    /// Lowest first; files directly in AnonLogCore/ are "Support", below all.
    static let layers = ["Support", "Text", "FileSystem", "Chunking", "IO", "Detection", "Transforms", "Pipeline",
                         "Scan", "Retention", "API"]

    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/AnonLogCore")
    }

    /// The source without comments and string literals, so names in them do not count.
    static func code(_ text: String) -> String {
        var out = text.replacingOccurrences(of: #"/\*[\s\S]*?\*/"#, with: "", options: .regularExpression)
        out = out.replacingOccurrences(of: #"//[^\n]*"#, with: "", options: .regularExpression)
        return out.replacingOccurrences(of: #""(?:\\.|[^"\\\n])*""#, with: "\"\"", options: .regularExpression)
    }

    static func folder(of file: URL) -> String {
        let parts = file.path.dropFirst(root.path.count + 1).split(separator: "/")
        return parts.count > 1 ? String(parts[0]) : "Support"
    }

    @Test func foldersDependDownwardOnly() throws {
        let files = FileManager.default.enumerator(at: Self.root, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
        #expect(files.count > 50)
        var owner: [String: String] = [:]
        var sources: [(URL, String)] = []
        let declaration = try NSRegularExpression(pattern:
            #"^(?:(?:public|internal|private|fileprivate|final|indirect|@\w+(?:\([^)]*\))?)\s+)*(?:struct|class|enum|protocol|typealias|actor|func)\s+([A-Za-z_]\w*)"#,
            options: .anchorsMatchLines)
        for file in files {
            let text = Self.code(try String(contentsOf: file, encoding: .utf8))
            sources.append((file, text))
            let range = NSRange(text.startIndex..., in: text)
            for match in declaration.matches(in: text, range: range) {
                let name = String(text[Range(match.range(at: 1), in: text)!])
                if owner[name] == nil { owner[name] = Self.folder(of: file) }
            }
        }
        let word = try NSRegularExpression(pattern: #"\b[A-Za-z_]\w*\b"#)
        var violations: [String] = []
        for (file, text) in sources {
            let folder = Self.folder(of: file)
            guard let level = Self.layers.firstIndex(of: folder) else {
                violations.append("\(file.lastPathComponent): folder \(folder) has no layer")
                continue
            }
            var used: Set<String> = []
            for match in word.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                used.insert(String(text[Range(match.range, in: text)!]))
            }
            for name in used.sorted() {
                guard let other = owner[name], other != folder, let otherLevel = Self.layers.firstIndex(of: other) else { continue }
                if otherLevel > level { violations.append("\(folder)/\(file.lastPathComponent) uses \(name) from \(other)") }
            }
        }
        #expect(violations.isEmpty, "\(violations.joined(separator: "\n"))")
    }
}
