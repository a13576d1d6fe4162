import Yams

/// Reads a YAML file into typed values, remembering where each value was written.
///
/// Problems are collected rather than thrown, so a file with five mistakes gets five messages.
/// Unknown keys are problems too: a misspelt `requird: true` must not silently drop a rule.
public final class YAMLReader {
    public let file: String
    public private(set) var problems: [ConfigurationProblem] = []

    public init(file: String) {
        self.file = file
    }

    /// Parses `text`; returns the root mapping, or nil (with a problem) when the text is not a
    /// YAML mapping.
    public func root(_ text: String) -> Map? {
        do {
            // Scalars are taken as text (`.basic`): the reader converts them itself (`bool`, `int`,
            // `double`), and Yams' guessing of each scalar's tag by regular expressions, for its
            // duplicate-key check, was a tenth of every command's start.
            guard let node = try Yams.compose(yaml: text, .basic) else {
                report(at: nil, "", "the file is empty; expected a mapping of keys to values")
                return nil
            }
            return map(node, path: "")
        } catch let error as YamlError {
            report(location: location(of: error), "", "not valid YAML: \(Self.summary(of: error))")
            return nil
        } catch {
            report(at: nil, "", "not valid YAML: \(error)")
            return nil
        }
    }

    public func report(at node: Node?, _ keyPath: String, _ message: String) {
        report(location: location(node?.mark), keyPath, message)
    }

    public func report(location: CatalogLocation, _ keyPath: String, _ message: String) {
        problems.append(ConfigurationProblem(location: location, keyPath: keyPath, message: message))
    }

    public func location(_ mark: Mark?) -> CatalogLocation {
        CatalogLocation(file: file, line: mark?.line, column: mark?.column)
    }

    func map(_ node: Node, path: String) -> Map? {
        guard let mapping = node.mapping else {
            report(at: node, path, "expected a mapping of keys to values")
            return nil
        }
        return Map(reader: self, node: node, mapping: mapping, path: path)
    }

    private func location(of error: YamlError) -> CatalogLocation {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return location(mark)
        case .duplicatedKeysInMapping(_, let context):
            return location(context.mark)
        default:
            return location(nil)
        }
    }

    private static func summary(of error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _):
            return problem
        case .duplicatedKeysInMapping(let keys, _):
            return "\(keys.sorted().map { "`\($0)`" }.joined(separator: ", ")) written twice in one mapping; keep one"
        default:
            return "\(error)"
        }
    }

    /// A mapping being read. Call ``finish()`` after reading to report keys nobody asked for.
    public struct Map {
        let reader: YAMLReader
        public let node: Node
        let mapping: Node.Mapping
        /// The key path of this mapping (`fields[2]`).
        public let path: String
        private var read: Set<String> = []

        /// The values by their keys' text, looked up without building a `Node` per question
        /// (Yams resolves a new node's tag with regular expressions: a fifth of every start).
        let values: [String: Node]

        init(reader: YAMLReader, node: Node, mapping: Node.Mapping, path: String) {
            self.reader = reader
            self.node = node
            self.mapping = mapping
            self.path = path
            var values: [String: Node] = [:]
            for (key, value) in mapping {
                // The first of a repeated key, as Yams's lookup gives (the parser refuses repeats).
                if let text = key.scalar?.string, values[text] == nil { values[text] = value }
            }
            self.values = values
        }

        public var location: CatalogLocation { reader.location(node.mark) }

        func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

        public func location(of key: String) -> CatalogLocation {
            reader.location(values[key]?.mark ?? node.mark)
        }

        public mutating func value(_ key: String) -> Node? {
            read.insert(key)
            return values[key]
        }

        /// Whether the mapping has `key`, without marking it read.
        public func has(_ key: String) -> Bool { values[key] != nil }

        /// A scalar's text without marking the key read or reporting anything.
        public func peekString(_ key: String) -> String? {
            values[key]?.scalar?.string
        }

        /// A string value; reports a problem when it is required and absent, or not a scalar.
        public mutating func string(_ key: String, required: Bool = true) -> String? {
            guard let value = value(key) else {
                if required { reader.report(at: node, keyPath(key), "missing; add `\(key):` to this entry") }
                return nil
            }
            guard let scalar = value.scalar else {
                reader.report(at: value, keyPath(key), "expected a single value, found a list or mapping")
                return nil
            }
            return scalar.string
        }

        public mutating func bool(_ key: String) -> Bool? {
            guard let value = value(key) else { return nil }
            guard let bool = value.bool else {
                reader.report(at: value, keyPath(key), "expected true or false")
                return nil
            }
            return bool
        }

        public mutating func int(_ key: String) -> Int? {
            guard let value = value(key) else { return nil }
            guard let int = value.int else {
                reader.report(at: value, keyPath(key), "expected a whole number")
                return nil
            }
            return int
        }

        /// A list of strings; a single string is accepted as a list of one.
        public mutating func strings(_ key: String) -> [String] {
            guard let value = value(key) else { return [] }
            if let scalar = value.scalar { return [scalar.string] }
            guard let sequence = value.sequence else {
                reader.report(at: value, keyPath(key), "expected a list of values")
                return []
            }
            return sequence.enumerated().compactMap { index, element in
                guard let scalar = element.scalar else {
                    reader.report(at: element, "\(keyPath(key))[\(index)]", "expected a single value")
                    return nil
                }
                return scalar.string
            }
        }

        public mutating func double(_ key: String) -> Double? {
            guard let value = value(key) else { return nil }
            guard let number = value.float ?? value.int.map(Double.init) else {
                reader.report(at: value, keyPath(key), "expected a number")
                return nil
            }
            return number
        }

        /// A mapping of scalars to scalars (`"01": 自然人`), in file order.
        public mutating func pairs(_ key: String) -> [(key: String, value: String)] {
            guard let value = value(key) else { return [] }
            guard let mapping = value.mapping else {
                reader.report(at: value, keyPath(key), "expected a mapping (`key: value` lines)")
                return []
            }
            return mapping.compactMap { entry in
                guard let name = entry.key.string, let text = entry.value.scalar?.string else {
                    reader.report(at: entry.value, "\(keyPath(key)).\(entry.key.string ?? "?")", "expected a single value")
                    return nil
                }
                return (name, text)
            }
        }

        /// A mapping of keys to mappings of scalars (`xk_zt: {"0": 有效}`), in file order.
        public mutating func nestedPairs(_ key: String) -> [(key: String, pairs: [(key: String, value: String)])] {
            guard let value = value(key) else { return [] }
            guard let outer = value.mapping else {
                reader.report(at: value, keyPath(key), "expected a mapping of field ids to `code: value` mappings")
                return []
            }
            return outer.compactMap { entry in
                guard let name = entry.key.string,
                      var inner = reader.map(entry.value, path: "\(keyPath(key)).\(name)") else { return nil }
                var pairs: [(key: String, value: String)] = []
                for pair in inner.mapping {
                    guard let code = pair.key.string, let text = pair.value.scalar?.string else {
                        reader.report(at: pair.value, "\(inner.path).\(pair.key.string ?? "?")", "expected a single value")
                        continue
                    }
                    _ = inner.value(code)
                    pairs.append((code, text))
                }
                return (name, pairs)
            }
        }

        /// One nested mapping, or a list of them, each handed to `body` to read.
        public mutating func mappings<T>(_ key: String, _ body: (inout Map) -> T?) -> [T] {
            guard let value = value(key) else { return [] }
            let elements: [(Node, String)]
            if value.mapping != nil {
                elements = [(value, keyPath(key))]
            } else if let sequence = value.sequence {
                elements = sequence.enumerated().map { ($0.element, "\(keyPath(key))[\($0.offset)]") }
            } else {
                reader.report(at: value, keyPath(key), "expected a mapping or a list of mappings")
                return []
            }
            var results: [T] = []
            for (element, path) in elements {
                guard var entry = reader.map(element, path: path) else { continue }
                if let result = body(&entry) { results.append(result) }
                entry.finish()
            }
            return results
        }

        /// A list of mappings, each handed to `body` to read.
        public mutating func list<T>(_ key: String, required: Bool = true, _ body: (inout Map) -> T?) -> [T] {
            guard let value = value(key) else {
                if required { reader.report(at: node, keyPath(key), "missing; add a `\(key):` list") }
                return []
            }
            guard let sequence = value.sequence else {
                reader.report(at: value, keyPath(key), "expected a list (entries starting with `- `)")
                return []
            }
            var results: [T] = []
            for (index, element) in sequence.enumerated() {
                guard var entry = reader.map(element, path: "\(keyPath(key))[\(index)]") else { continue }
                if let result = body(&entry) { results.append(result) }
                entry.finish()
            }
            return results
        }

        /// Reports every key of this mapping that was never read.
        public func finish() {
            for (key, _) in mapping {
                guard let name = key.string, !read.contains(name) else { continue }
                reader.report(at: key, keyPath(name), "unknown key; check its spelling")
            }
        }
    }
}
