using System.Buffers.Binary;
using System.Text;

namespace ImageClassifier.Models.Pretrained;

/// <summary>
/// Checks a pickle (data.pkl of a torch.save file) before anything unpickles it, in the spirit of
/// torch.load(weights_only=True): every GLOBAL/INST/STACK_GLOBAL must name a tensor rebuild function,
/// a storage type or OrderedDict. A pickle naming anything else (os.system, builtins.eval, ...)
/// would run code in Python; it is refused with the name it asked for. Written here because the
/// unpickler PyBridge uses (Razorvine's) accepts any global and only fails later, with an unclear
/// message; a full opcode walk is the only way to see every global before loading.
/// </summary>
public static class PickleGuard
{
    static readonly HashSet<string> allowed =
    [
        "collections.OrderedDict",
        "torch._utils._rebuild_tensor", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter",
        .. new[] { "Double", "Float", "Half", "Long", "Int", "Short", "Char", "Byte", "Bool", "BFloat16", "ComplexDouble", "ComplexFloat" }
            .Select(t => $"torch.{t}Storage"),
    ];

    /// <summary>Throws <see cref="ModelException"/> unless every global in <paramref name="pickle"/> is allowed.</summary>
    public static void Check(ReadOnlySpan<byte> pickle, string source)
    {
        try { Walk(pickle, source); }
        catch (FormatException e) { throw Refuse(source, $"its pickle is damaged ({e.Message})"); }
    }

    static void Walk(ReadOnlySpan<byte> pickle, string source)
    {
        var memo = new Dictionary<long, string?>();
        string? last = null, beforeLast = null;   // the last two values pushed, when they were strings
        int position = 0;
        void Push(string? value) { beforeLast = last; last = value; }

        while (position < pickle.Length)
        {
            byte op = pickle[position++];
            switch ((char)op)
            {
                case '.': return;   // STOP
                case 'c' or 'i':    // GLOBAL, INST: "module\nname\n"
                {
                    string module = Line(pickle, ref position), name = Line(pickle, ref position);
                    Require($"{module}.{name}", source);
                    Push(null);
                    break;
                }
                case '\x93':        // STACK_GLOBAL: module and name are the two strings on the stack
                    if (beforeLast is null || last is null)
                        throw Refuse(source, "it builds an object whose name cannot be checked before loading");
                    Require($"{beforeLast}.{last}", source);
                    Push(null);
                    break;
                case 'X': Push(Text(pickle, ref position, Length(pickle, ref position, 4))); break;      // BINUNICODE
                case '\x8c': Push(Text(pickle, ref position, Length(pickle, ref position, 1))); break;   // SHORT_BINUNICODE
                case '\x8d': Push(Text(pickle, ref position, Length(pickle, ref position, 8))); break;   // BINUNICODE8
                case 'T': Push(Text(pickle, ref position, Length(pickle, ref position, 4))); break;      // BINSTRING
                case 'U': Push(Text(pickle, ref position, Length(pickle, ref position, 1))); break;      // SHORT_BINSTRING
                case 'V' or 'S': Push(Line(pickle, ref position).Trim('\'', '"')); break;               // UNICODE, STRING
                case 'B': Skip(ref position, Length(pickle, ref position, 4), pickle); Push(null); break;   // BINBYTES
                case 'C': Skip(ref position, Length(pickle, ref position, 1), pickle); Push(null); break;   // SHORT_BINBYTES
                case '\x8e' or '\x96': Skip(ref position, Length(pickle, ref position, 8), pickle); Push(null); break;   // BINBYTES8, BYTEARRAY8
                case '\x8a': Skip(ref position, Length(pickle, ref position, 1), pickle); Push(null); break;   // LONG1
                case '\x8b': Skip(ref position, Length(pickle, ref position, 4), pickle); Push(null); break;   // LONG4
                case 'q': memo[pickle[Advance(ref position, 1, pickle)]] = last; break;                        // BINPUT
                case 'r': memo[Length(pickle, ref position, 4)] = last; break;                                 // LONG_BINPUT
                case 'p': memo[long.Parse(Line(pickle, ref position))] = last; break;                          // PUT
                case '\x94': memo[memo.Count] = last; break;                                                   // MEMOIZE
                case 'h': Push(memo.GetValueOrDefault(pickle[Advance(ref position, 1, pickle)])); break;       // BINGET
                case 'j': Push(memo.GetValueOrDefault(Length(pickle, ref position, 4))); break;                // LONG_BINGET
                case 'g': Push(memo.GetValueOrDefault(long.Parse(Line(pickle, ref position)))); break;         // GET
                case 'K' or '\x80': Advance(ref position, 1, pickle); Push(null); break;   // BININT1, PROTO
                case 'M': Advance(ref position, 2, pickle); Push(null); break;             // BININT2
                case 'J': Advance(ref position, 4, pickle); Push(null); break;             // BININT
                case 'G' or '\x95': Advance(ref position, 8, pickle); Push(null); break;   // BINFLOAT, FRAME
                case 'I' or 'L' or 'F' or 'P': Line(pickle, ref position); Push(null); break;   // INT, LONG, FLOAT, PERSID
                case '\x82' or '\x83' or '\x84':                                           // EXT1/2/4: globals from the copyreg registry
                    throw Refuse(source, "it names an object through the extension registry");
                case '(' or '0' or '1' or '2' or 'N' or 'R' or ')' or ']' or '}' or 'a' or 'b' or 'd' or 'e' or 'l' or 'o'
                    or 's' or 't' or 'u' or 'Q' or '\x81' or '\x85' or '\x86' or '\x87' or '\x88' or '\x89' or '\x8f' or '\x90'
                    or '\x91' or '\x92' or '\x97' or '\x98':
                    Push(null);   // opcodes without an argument
                    break;
                default:
                    throw Refuse(source, $"it holds pickle opcode 0x{op:x2} at byte {position - 1}, which is not a valid pickle opcode");
            }
        }
        throw new FormatException("it ends without STOP");
    }

    static void Require(string global, string source)
    {
        if (!allowed.Contains(global))
            throw Refuse(source, $"its pickle calls {global}, which is not a tensor rebuild: loading it in Python would run that code. Only state dicts of tensors are read (torch.save(model.state_dict(), ...)); safetensors is the safer format");
    }

    static ModelException Refuse(string source, string why) => new($"{source}: refused to load: {why}.");

    static int Advance(ref int position, int count, ReadOnlySpan<byte> pickle)
    {
        if (position + count > pickle.Length) throw new FormatException("it ends in the middle of an opcode");
        int start = position;
        position += count;
        return start;
    }

    static long Length(ReadOnlySpan<byte> pickle, ref int position, int bytes)
    {
        int start = Advance(ref position, bytes, pickle);
        var span = pickle.Slice(start, bytes);
        long value = bytes switch
        {
            1 => span[0],
            4 => BinaryPrimitives.ReadUInt32LittleEndian(span),
            _ => BinaryPrimitives.ReadInt64LittleEndian(span),
        };
        if (value < 0 || value > pickle.Length) throw new FormatException("a length points beyond its end");
        return value;
    }

    static void Skip(ref int position, long count, ReadOnlySpan<byte> pickle) => Advance(ref position, (int)count, pickle);

    static string Text(ReadOnlySpan<byte> pickle, ref int position, long count) =>
        Encoding.UTF8.GetString(pickle.Slice(Advance(ref position, (int)count, pickle), (int)count));

    static string Line(ReadOnlySpan<byte> pickle, ref int position)
    {
        int end = pickle[position..].IndexOf((byte)'\n');
        if (end < 0) throw new FormatException("a text argument has no end of line");
        string text = Encoding.UTF8.GetString(pickle.Slice(position, end));
        position += end + 1;
        return text;
    }
}
