// TEMPORARY: stand-ins until the Expressions/Variables/Globs/Schema utilities land. Delete on merge.
using System.Text;
using System.Text.RegularExpressions;
using Relais.Pipelines.Diagnostics;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Expressions
{
    internal sealed record ExpressionTrace(bool Result, IReadOnlyList<string> Steps);

    internal sealed class CiExpression
    {
        private readonly List<string> _tokens;

        private CiExpression(List<string> tokens) => _tokens = tokens;

        public static bool TryParse(string text, out CiExpression? expression, out string? error)
        {
            var tokens = Regex.Matches(text, @"\s*(\$\{?\w+\}?|""[^""]*""|'[^']*'|/(?:\\.|[^/])*/[a-zA-Z]*|==|!=|=~|!~|&&|\|\||\(|\)|null)\s*").Select(m => m.Groups[1].Value).ToList();
            var joined = string.Concat(Regex.Matches(text, @"\s*(\$\{?\w+\}?|""[^""]*""|'[^']*'|/(?:\\.|[^/])*/[a-zA-Z]*|==|!=|=~|!~|&&|\|\||\(|\)|null)\s*").Select(m => m.Value));
            expression = new CiExpression(tokens);
            error = joined.Length == text.Length && Balanced(tokens) ? null : "syntax error";
            return error is null;
        }

        private static bool Balanced(List<string> t) => t.Count(x => x == "(") == t.Count(x => x == ")") && t.Count > 0 && t[^1] is not ("==" or "!=" or "&&" or "||" or "(");

        public ExpressionTrace EvaluateWithTrace(Func<string, string?> lookup)
        {
            var steps = new List<string>();
            var i = 0;
            var r = Or(ref i, lookup, steps);
            return new ExpressionTrace(r is not null && (r is not string s || s.Length > 0) && r is not false, steps);
        }

        private object? Or(ref int i, Func<string, string?> l, List<string> s)
        {
            var left = And(ref i, l, s);
            while (i < _tokens.Count && _tokens[i] == "||") { i++; var right = And(ref i, l, s); left = Truthy(left) || Truthy(right); }
            return left;
        }

        private object? And(ref int i, Func<string, string?> l, List<string> s)
        {
            var left = Cmp(ref i, l, s);
            while (i < _tokens.Count && _tokens[i] == "&&") { i++; var right = Cmp(ref i, l, s); left = Truthy(left) && Truthy(right); }
            return left;
        }

        private object? Cmp(ref int i, Func<string, string?> l, List<string> s)
        {
            var left = Atom(ref i, l);
            if (i < _tokens.Count && _tokens[i] is "==" or "!=" or "=~" or "!~")
            {
                var op = _tokens[i++];
                var rightTok = _tokens[i];
                var right = Atom(ref i, l);
                bool result = op switch
                {
                    "==" => Equals(left, right),
                    "!=" => !Equals(left, right),
                    _ => Match(left, right as string ?? "", rightTok) ^ (op == "!~"),
                };
                s.Add($"{left ?? "null"} {op} {right ?? "null"} → {result}");
                return result;
            }

            return left;
        }

        private static bool Match(object? left, string pattern, string tok)
        {
            if (left is not string text) return false;
            var m = Regex.Match(pattern, "^/(.*)/([a-zA-Z]*)$", RegexOptions.Singleline);
            if (!m.Success) return false;
            return Regex.IsMatch(text, m.Groups[1].Value, m.Groups[2].Value.Contains('i', StringComparison.Ordinal) ? RegexOptions.IgnoreCase : RegexOptions.None);
        }

        private object? Atom(ref int i, Func<string, string?> l)
        {
            var t = _tokens[i++];
            if (t == "(") { var v = Or(ref i, l, []); i++; return v; }
            if (t == "null") return null;
            if (t.StartsWith('$')) return l(t.Trim('$', '{', '}'));
            if (t.StartsWith('"') || t.StartsWith('\'')) return t[1..^1];
            return t;
        }

        private static bool Truthy(object? v) => v is true || (v is string s && s.Length > 0);
    }
}

namespace Relais.Pipelines.Variables
{
    internal static class VariableExpander
    {
        public static string Expand(string text, Func<string, string?> lookup) =>
            Regex.Replace(text, @"\$\$|\$\{(\w+)\}|\$(\w+)", m => m.Value == "$$" ? "$$" : lookup(m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value) ?? m.Value);
    }
}

namespace Relais.Pipelines.Globs
{
    internal sealed class Glob(Regex regex)
    {
        public static Glob Compile(string pattern)
        {
            var sb = new StringBuilder("^");
            for (var i = 0; i < pattern.Length; i++)
            {
                var c = pattern[i];
                if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*') { i++; if (i + 1 < pattern.Length && pattern[i + 1] == '/') { i++; sb.Append("(.*/)?"); } else sb.Append(".*"); }
                else if (c == '*') sb.Append("[^/]*");
                else if (c == '?') sb.Append("[^/]");
                else if (c == '{') { var end = pattern.IndexOf('}', i); sb.Append('(').Append(string.Join("|", pattern[(i + 1)..end].Split(',').Select(Regex.Escape))).Append(')'); i = end; }
                else sb.Append(Regex.Escape(c.ToString()));
            }

            return new Glob(new Regex(sb.Append('$').ToString()));
        }

        public bool IsMatch(string path) => regex.IsMatch(path);
    }
}

namespace Relais.Pipelines.Schema
{
    internal static class SchemaValidator
    {
        public static void ValidateGlobal(YamlEntry entry, DiagnosticBag bag) { }

        public static void ValidateJob(string name, YamlMapping job, SourceLocation at, DiagnosticBag bag) { }
    }
}
