// TEMPORARY: stand-ins until the Expressions/Variables/Globs/Schema utilities land. Delete on merge.
using System.Text;
using System.Text.RegularExpressions;
using Relais.Pipelines.Diagnostics;
using Relais.Pipelines.Yaml;

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

