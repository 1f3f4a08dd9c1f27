namespace Relais.Cli;

/// <summary>
/// A small command-line reader: <c>--name value</c>, <c>--name=value</c>, repeated options, flags and
/// positional arguments. Commands declare which options take a value; anything unknown is an error
/// with the command's usage, so a typo never silently changes what runs.
/// </summary>
internal sealed class Args
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    public List<string> Positional { get; } = [];

    public static Args Parse(IEnumerable<string> args, IReadOnlySet<string> valued, IReadOnlySet<string> flags, out string? error)
    {
        var result = new Args();
        error = null;
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var arg = e.Current;
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg == "--")
            {
                result.Positional.Add(arg);
                continue;
            }

            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            var name = eq > 0 ? arg[2..eq] : arg[2..];
            if (flags.Contains(name) && eq < 0)
            {
                result._flags.Add(name);
            }
            else if (valued.Contains(name))
            {
                string? value = eq > 0 ? arg[(eq + 1)..] : e.MoveNext() ? e.Current : null;
                if (value is null)
                {
                    error = $"--{name} needs a value";
                    return result;
                }

                if (!result._values.TryGetValue(name, out var list))
                {
                    result._values[name] = list = [];
                }

                list.Add(value);
            }
            else
            {
                error = $"unknown option --{name}";
                return result;
            }
        }

        return result;
    }

    public bool Flag(string name) => _flags.Contains(name);

    public string? Value(string name) => _values.TryGetValue(name, out var list) ? list[^1] : null;

    public IReadOnlyList<string> Values(string name) => _values.TryGetValue(name, out var list) ? list : [];
}
