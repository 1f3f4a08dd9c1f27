using System.Globalization;
using System.Text;

namespace Relais.GitOps.Updates.Templates;

/// <summary>
/// A parsed Go <c>text/template</c> (the subset <see cref="TemplateParser"/> reads), run over values made of strings,
/// numbers, booleans, lists, <see cref="TemplateMap"/> and <see cref="TemplateStruct"/>. Functions: <c>print</c>,
/// <c>println</c>, <c>printf</c> (<c>%s</c>, <c>%v</c>, <c>%d</c>, <c>%q</c>, <c>%%</c>), <c>len</c>, <c>not</c>,
/// <c>eq</c>, <c>ne</c>, and Sprig's <c>lower</c>, <c>upper</c>, <c>trim</c>, <c>contains</c>.
/// </summary>
public sealed class GoTemplate
{
    private readonly IReadOnlyList<TemplateNode> _nodes;

    private GoTemplate(IReadOnlyList<TemplateNode> nodes)
    {
        _nodes = nodes;
    }

    /// <exception cref="TemplateException">A syntax error or an unsupported construct.</exception>
    public static GoTemplate Parse(string template) => new(TemplateParser.Parse(template));

    /// <summary>Runs the template with <paramref name="data"/> as <c>.</c> and <c>$</c>.</summary>
    /// <exception cref="TemplateException">A field that does not exist, an unknown function, a wrong argument.</exception>
    public string Execute(object? data)
    {
        var output = new StringBuilder();
        var variables = new List<(string Name, object? Value)> { ("$", data) };
        Run(_nodes, data, variables, output);
        return output.ToString();
    }

    private static void Run(IReadOnlyList<TemplateNode> nodes, object? dot, List<(string Name, object? Value)> variables, StringBuilder output)
    {
        foreach (var node in nodes)
        {
            switch (node)
            {
                case TextNode text:
                    output.Append(text.Text);
                    break;
                case ActionNode action:
                    output.Append(Format(Evaluate(action.Pipeline, dot, variables), missing: "<no value>"));
                    break;
                case IfNode branch:
                    Run(IsTrue(Evaluate(branch.Condition, dot, variables)) ? branch.Then : branch.Else, dot, variables, output);
                    break;
                case RangeNode range:
                    RunRange(range, dot, variables, output);
                    break;
            }
        }
    }

    private static void RunRange(RangeNode range, object? dot, List<(string Name, object? Value)> variables, StringBuilder output)
    {
        var entries = Evaluate(range.Over, dot, variables) switch
        {
            null => [],
            TemplateMap map => map.Entries.Select(e => (Key: e.Key, e.Value)).ToList(),
            IEnumerable<object?> list => list.Select((v, i) => (Key: (object)(long)i, Value: v)).ToList(),
            var other => throw new TemplateException($"range can't iterate over {Format(other, "<nil>")}"),
        };
        if (entries.Count == 0)
        {
            Run(range.Else, dot, variables, output);
            return;
        }

        foreach (var (key, value) in entries)
        {
            var mark = variables.Count;
            if (range.KeyVariable is { } k)
            {
                variables.Add((k, key));
            }

            if (range.ValueVariable is { } v)
            {
                variables.Add((v, value));
            }

            Run(range.Body, value, variables, output);
            variables.RemoveRange(mark, variables.Count - mark);
        }
    }

    private static object? Evaluate(Pipeline pipeline, object? dot, List<(string Name, object? Value)> variables)
    {
        object? previous = null;
        for (var i = 0; i < pipeline.Commands.Count; i++)
        {
            var operands = pipeline.Commands[i].Operands;
            var piped = i > 0;
            if (operands[0] is FunctionOperand function)
            {
                var arguments = operands.Skip(1).Select(o => Value(o, dot, variables)).ToList();
                if (piped)
                {
                    arguments.Add(previous);
                }

                previous = TemplateFunctions.Call(function.Name, arguments);
            }
            else if (operands.Count > 1 || piped)
            {
                throw new TemplateException($"can't give argument to non-function {Describe(operands[0])}");
            }
            else
            {
                previous = Value(operands[0], dot, variables);
            }
        }

        return previous;
    }

    private static object? Value(Operand operand, object? dot, List<(string Name, object? Value)> variables)
    {
        switch (operand)
        {
            case ConstantOperand constant:
                return constant.Value;
            case FunctionOperand function:
                return TemplateFunctions.Call(function.Name, []);
            case FieldOperand field:
                var value = dot;
                if (field.Variable is { } name)
                {
                    var found = variables.FindLastIndex(v => v.Name == name);
                    value = found >= 0 ? variables[found].Value : throw new TemplateException($"undefined variable {name}");
                }

                foreach (var part in field.Fields)
                {
                    value = Field(value, part);
                }

                return value;
            default:
                throw new TemplateException("unexpected operand");
        }
    }

    private static object? Field(object? value, string name) => value switch
    {
        TemplateStruct s when s.TryGet(name, out var v) => v is Func<object?> lazy ? lazy() : v,
        TemplateStruct s => throw new TemplateException($"can't evaluate field {name} in type {s.TypeName}"),
        TemplateMap map => map[name],
        null => throw new TemplateException($"nil pointer evaluating .{name}"),
        _ => throw new TemplateException($"can't evaluate field {name} in type {TypeName(value)}"),
    };

    private static string Describe(Operand operand) => operand switch
    {
        FieldOperand f => (f.Variable ?? "") + (f.Fields.Count == 0 && f.Variable is null ? "." : string.Concat(f.Fields.Select(p => "." + p))),
        ConstantOperand c => Format(c.Value, "nil"),
        _ => operand.ToString() ?? "",
    };

    /// <summary>Go's truth: false, 0, nil and empty strings, lists and maps are false.</summary>
    internal static bool IsTrue(object? value) => value switch
    {
        null => false,
        bool b => b,
        long n => n != 0,
        string s => s.Length > 0,
        TemplateMap m => m.Entries.Count > 0,
        IEnumerable<object?> list => list.Any(),
        _ => true,
    };

    internal static string TypeName(object? value) => value switch
    {
        string => "string",
        long => "int",
        bool => "bool",
        TemplateStruct s => s.TypeName,
        TemplateMap => "map",
        null => "nil",
        _ => "slice",
    };

    /// <summary>Go's <c>%v</c> of a value.</summary>
    internal static string Format(object? value, string missing = "<nil>") => value switch
    {
        null => missing,
        string s => s,
        bool b => b ? "true" : "false",
        long n => n.ToString(CultureInfo.InvariantCulture),
        TemplateStruct s => s.Printed ?? "{" + string.Join(' ', s.Fields.Select(f => Format(f.Value is Func<object?> lazy ? lazy() : f.Value))) + "}",
        TemplateMap m => "map[" + string.Join(' ', m.Entries.Select(e => Format(e.Key) + ":" + Format(e.Value))) + "]",
        IEnumerable<object?> list => "[" + string.Join(' ', list.Select(v => Format(v))) + "]",
        _ => value.ToString() ?? "",
    };
}
