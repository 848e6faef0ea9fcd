import CJQ
import Foundation

/// A compiled jq program (libjq from Debian's libjq-dev), so `--jq` works without a jq binary.
final class JQProgram {
    struct CompileError: Error, CustomStringConvertible {
        var messages: [String]
        var description: String { messages.isEmpty ? "invalid jq expression" : messages.joined(separator: "; ") }
    }
    struct RuntimeError: Error, CustomStringConvertible { var description: String }

    private var state: OpaquePointer?
    private let errors = ErrorBox()

    final class ErrorBox { var messages: [String] = [] }

    init(_ filter: String) throws {
        state = jq_init()
        guard let state else { throw CompileError(messages: ["cannot initialise jq"]) }
        jq_set_error_cb(state, { ud, msg in
            guard let ud else { jv_free(msg); return }
            let box = Unmanaged<ErrorBox>.fromOpaque(ud).takeUnretainedValue()
            box.messages.append(JQProgram.text(of: msg))
        }, Unmanaged.passUnretained(errors).toOpaque())
        if jq_compile(state, filter) == 0 {
            throw CompileError(messages: errors.messages)
        }
    }

    deinit { if state != nil { jq_teardown(&state) } }

    /// Runs the program on a JSON document. Strings come back raw (as `jq -r`), other values as JSON:
    /// indented when `pretty`, coloured when `color`.
    func run(_ json: Data, pretty: Bool, color: Bool) throws -> [String] {
        let input: jv = json.withUnsafeBytes { raw in
            jv_parse_sized(raw.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(raw.count))
        }
        guard jv_is_valid(input) != 0 else {
            throw RuntimeError(description: "input is not JSON: \(Self.text(of: jv_invalid_get_msg(input)))")
        }
        jq_start(state, input, 0)
        var out: [String] = []
        var flags: Int32 = pretty ? Int32(JV_PRINT_PRETTY.rawValue | JV_PRINT_SPACE1.rawValue) : 0
        if color { flags |= Int32(JV_PRINT_COLOR.rawValue) }
        while true {
            let result = jq_next(state)
            if jv_is_valid(result) == 0 {
                if jv_invalid_has_msg(jv_copy(result)) != 0 {
                    let msg = jv_invalid_get_msg(result)
                    throw RuntimeError(description: Self.text(of: msg))
                }
                jv_free(result)
                break
            }
            if jv_get_kind(result) == JV_KIND_STRING {
                out.append(String(cString: jv_string_value(result)))
                jv_free(result)
            } else {
                let dumped = jv_dump_string(result, flags)
                out.append(String(cString: jv_string_value(dumped)))
                jv_free(dumped)
            }
        }
        return out
    }

    /// Frees `v`.
    static func text(of v: jv) -> String {
        if jv_get_kind(v) == JV_KIND_STRING {
            let s = String(cString: jv_string_value(v)); jv_free(v); return s
        }
        let d = jv_dump_string(v, 0)
        let s = String(cString: jv_string_value(d)); jv_free(d); return s
    }
}
