using System.Globalization;
using System.Text;

namespace Relais.GitOps.Updates.Templates;

/// <summary>
/// Parses the subset of Go's <c>text/template</c> that commit message templates use: text, <c>{{ pipeline }}</c>,
/// trim markers <c>{{-</c>/<c>-}}</c>, comments, <c>if</c>/<c>else</c>/<c>end</c>, <c>range</c> with
/// <c>$v :=</c> or <c>$k, $v :=</c>, pipes, fields, variables, string and number constants. Anything else (<c>with</c>,
/// <c>define</c>, <c>template</c>, parentheses, assignments) is a <see cref="TemplateException"/>.
/// </summary>
internal sealed class TemplateParser
{
    private static readonly HashSet<string> Unsupported = new(StringComparer.Ordinal) { "with", "define", "template", "block", "break", "continue" };

    private readonly List<(bool IsAction, string Text, int Line)> _items = [];
    private int _next;

    private TemplateParser(string template)
    {
        Split(template);
    }

    public static IReadOnlyList<TemplateNode> Parse(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var parser = new TemplateParser(template);
        var (nodes, end) = parser.ParseList();
        return end is null ? nodes : throw new TemplateException($"line {end.Value.Line}: unexpected {{{{ {end.Value.Word} }}}}");
    }

    /// <summary>Splits the text into text and action items, applying trim markers and dropping comments.</summary>
    private void Split(string template)
    {
        var position = 0;
        var trimNext = false;
        while (position < template.Length)
        {
            var open = template.IndexOf("{{", position, StringComparison.Ordinal);
            var text = open < 0 ? template[position..] : template[position..open];
            if (trimNext)
            {
                text = text.TrimStart();
            }

            if (open < 0)
            {
                Add(false, text, template, position);
                return;
            }

            var close = template.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                throw new TemplateException($"line {LineOf(template, open)}: unclosed action");
            }

            var inner = template[(open + 2)..close];
            if (inner.Length >= 2 && inner[0] == '-' && char.IsWhiteSpace(inner[1]))
            {
                text = text.TrimEnd();
                inner = inner[1..];
            }

            trimNext = inner.Length >= 2 && inner[^1] == '-' && char.IsWhiteSpace(inner[^2]);
            if (trimNext)
            {
                inner = inner[..^1];
            }

            Add(false, text, template, position);
            var trimmed = inner.Trim();
            if (!(trimmed.StartsWith("/*", StringComparison.Ordinal) && trimmed.EndsWith("*/", StringComparison.Ordinal)))
            {
                Add(true, trimmed, template, open);
            }

            position = close + 2;
        }
    }

    private void Add(bool action, string text, string template, int at)
    {
        if (action || text.Length > 0)
        {
            _items.Add((action, text, LineOf(template, at)));
        }
    }

    private static int LineOf(string template, int at) => template.AsSpan(0, at).Count('\n') + 1;

    /// <summary>Nodes up to an <c>else</c> or <c>end</c> (answered, not consumed as a node) or the end of the template.</summary>
    private (List<TemplateNode> Nodes, (string Word, string Tail, int Line)? End) ParseList()
    {
        var nodes = new List<TemplateNode>();
        while (_next < _items.Count)
        {
            var (isAction, text, line) = _items[_next++];
            if (!isAction)
            {
                nodes.Add(new TextNode(text));
                continue;
            }

            var tokens = TemplateLexer.Tokens(text, line);
            var word = tokens.Count > 0 && tokens[0].Kind == TokenKind.Identifier ? tokens[0].Text : null;
            switch (word)
            {
                case "end" or "else":
                    return (nodes, (word, text[word.Length..].Trim(), line));
                case "if":
                    nodes.Add(ParseIf(tokens, line));
                    break;
                case "range":
                    nodes.Add(ParseRange(tokens, line));
                    break;
                case { } w when Unsupported.Contains(w):
                    throw new TemplateException($"line {line}: {{{{ {w} }}}} is not supported (supported: if, else, range, end, print, println, printf and fields)");
                default:
                    nodes.Add(new ActionNode(ParsePipeline(tokens, 0, line)));
                    break;
            }
        }

        return (nodes, null);
    }

    private IfNode ParseIf(List<Token> tokens, int line)
    {
        var condition = ParsePipeline(tokens, 1, line);
        var (then, end) = ParseList();
        List<TemplateNode> otherwise = [];
        if (end is { Word: "else" } e)
        {
            if (e.Tail.Length > 0)
            {
                throw new TemplateException($"line {e.Line}: {{{{ else {e.Tail} }}}} is not supported: nest an if in the else");
            }

            (otherwise, end) = ParseList();
        }

        return end is { Word: "end" } ? new IfNode(condition, then, otherwise) : throw new TemplateException($"line {line}: if without end");
    }

    private RangeNode ParseRange(List<Token> tokens, int line)
    {
        string? key = null;
        string? value = null;
        var start = 1;
        var declare = tokens.FindIndex(t => t.Kind == TokenKind.Declare);
        if (declare >= 0)
        {
            var names = tokens[1..declare].Where(t => t.Kind != TokenKind.Comma).ToList();
            if (names.Count is < 1 or > 2 || names.Any(n => n.Kind != TokenKind.Field || !n.Text.StartsWith('$') || n.Text.Contains('.', StringComparison.Ordinal)))
            {
                throw new TemplateException($"line {line}: range expects $value := or $key, $value :=");
            }

            (key, value) = names.Count == 2 ? (names[0].Text, names[1].Text) : (null, names[0].Text);
            start = declare + 1;
        }

        var over = ParsePipeline(tokens, start, line);
        var (body, end) = ParseList();
        List<TemplateNode> otherwise = [];
        if (end is { Word: "else" })
        {
            (otherwise, end) = ParseList();
        }

        return end is { Word: "end" } ? new RangeNode(key, value, over, body, otherwise) : throw new TemplateException($"line {line}: range without end");
    }

    private static Pipeline ParsePipeline(List<Token> tokens, int start, int line)
    {
        var commands = new List<Command>();
        var operands = new List<Operand>();
        for (var i = start; i < tokens.Count; i++)
        {
            var token = tokens[i];
            switch (token.Kind)
            {
                case TokenKind.Pipe:
                    commands.Add(Finish(operands, line));
                    operands = [];
                    break;
                case TokenKind.String:
                    operands.Add(new ConstantOperand(token.Text));
                    break;
                case TokenKind.Number:
                    operands.Add(new ConstantOperand(long.Parse(token.Text, CultureInfo.InvariantCulture)));
                    break;
                case TokenKind.Field:
                    operands.Add(FieldOf(token.Text));
                    break;
                case TokenKind.Identifier:
                    operands.Add(token.Text switch
                    {
                        "true" => new ConstantOperand(true),
                        "false" => new ConstantOperand(false),
                        "nil" => new ConstantOperand(null),
                        _ => new FunctionOperand(token.Text),
                    });
                    break;
                default:
                    throw new TemplateException($"line {line}: unexpected \"{token.Text}\"");
            }
        }

        commands.Add(Finish(operands, line));
        return new Pipeline(commands);
    }

    private static Command Finish(List<Operand> operands, int line) =>
        operands.Count == 0 ? throw new TemplateException($"line {line}: missing value") : new Command(operands);

    private static FieldOperand FieldOf(string text)
    {
        if (text == ".")
        {
            return new FieldOperand(null, []);
        }

        var parts = text.Split('.');
        return text.StartsWith('$') ? new FieldOperand(parts[0], parts[1..]) : new FieldOperand(null, parts[1..]);
    }
}

/// <summary>The kinds of token inside an action.</summary>
internal enum TokenKind
{
    Identifier,
    Field,
    String,
    Number,
    Pipe,
    Comma,
    Declare,
}

/// <summary>One token inside an action.</summary>
internal readonly record struct Token(TokenKind Kind, string Text);

/// <summary>Splits an action's text into tokens.</summary>
internal static class TemplateLexer
{
    public static List<Token> Tokens(string text, int line)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '|')
            {
                tokens.Add(new Token(TokenKind.Pipe, "|"));
                i++;
            }
            else if (c == ',')
            {
                tokens.Add(new Token(TokenKind.Comma, ","));
                i++;
            }
            else if (c == ':' && i + 1 < text.Length && text[i + 1] == '=')
            {
                tokens.Add(new Token(TokenKind.Declare, ":="));
                i += 2;
            }
            else if (c == '"')
            {
                tokens.Add(new Token(TokenKind.String, QuotedString(text, ref i, line)));
            }
            else if (c == '`')
            {
                var close = text.IndexOf('`', i + 1);
                if (close < 0)
                {
                    throw new TemplateException($"line {line}: unterminated raw string");
                }

                tokens.Add(new Token(TokenKind.String, text[(i + 1)..close]));
                i = close + 1;
            }
            else if (char.IsAsciiDigit(c) || (c == '-' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                var start = i++;
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Number, text[start..i]));
            }
            else if (c is '.' or '$' || char.IsLetter(c) || c == '_')
            {
                var start = i++;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '.'))
                {
                    i++;
                }

                var word = text[start..i];
                tokens.Add(new Token(c is '.' or '$' ? TokenKind.Field : TokenKind.Identifier, word));
                if (c is not '.' and not '$' && word.Contains('.', StringComparison.Ordinal))
                {
                    throw new TemplateException($"line {line}: unexpected \"{word}\"");
                }
            }
            else
            {
                throw new TemplateException($"line {line}: \"{c}\" is not supported here (no parentheses, assignments or comparisons)");
            }
        }

        return tokens;
    }

    private static string QuotedString(string text, ref int i, int line)
    {
        var value = new StringBuilder();
        for (i++; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"')
            {
                i++;
                return value.ToString();
            }

            if (c == '\\' && i + 1 < text.Length)
            {
                i++;
                value.Append(text[i] switch
                {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    var other => other,
                });
            }
            else
            {
                value.Append(c);
            }
        }

        throw new TemplateException($"line {line}: unterminated string");
    }
}
