using System.Globalization;
using System.Runtime.InteropServices;

namespace Relais.Runner.Executors.Shell;

/// <summary>
/// Signals a script's processes: its process group (the shell runs as a session leader) and every descendant found
/// in <c>/proc</c>, so children that started their own group or session are reached too.
/// </summary>
internal static partial class ProcessTree
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    /// <summary>
    /// Sends <paramref name="signal"/> to the group led by <paramref name="leader"/>, to its current descendants, and to
    /// <paramref name="known"/> ones found earlier (which an exited parent may have orphaned since).
    /// </summary>
    public static void Signal(int leader, int signal, bool group, IReadOnlyList<int> known)
    {
        var targets = Descendants(leader).Concat(known).Distinct().Where(IsAlive).ToArray();
        if (group)
        {
            _ = Kill(-leader, signal);
        }

        _ = Kill(leader, signal);
        foreach (var pid in targets)
        {
            _ = Kill(pid, signal);
        }
    }

    /// <summary>Sends <paramref name="signal"/> to a whole process group (ESRCH when it is empty is fine).</summary>
    public static void SignalGroup(int leader, int signal) => _ = Kill(-leader, signal);

    /// <summary>Whether a process exists and is not a zombie.</summary>
    public static bool IsAlive(int pid)
    {
        var stat = ReadStat(pid);
        return stat is not null && stat.Value.State != 'Z' && stat.Value.State != 'X';
    }

    /// <summary>The descendants of <paramref name="root"/>, read from <c>/proc/*/stat</c>.</summary>
    public static IReadOnlyList<int> Descendants(int root)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            var stat = ReadStat(pid);
            if (stat is null)
            {
                continue;
            }

            if (!children.TryGetValue(stat.Value.Parent, out var list))
            {
                children[stat.Value.Parent] = list = [];
            }

            list.Add(pid);
        }

        var result = new List<int>();
        var queue = new Queue<int>([root]);
        while (queue.TryDequeue(out var pid))
        {
            if (!children.TryGetValue(pid, out var list))
            {
                continue;
            }

            foreach (var child in list)
            {
                result.Add(child);
                queue.Enqueue(child);
            }
        }

        return result;
    }

    private static (char State, int Parent)? ReadStat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // "pid (comm) S ppid ...": comm may hold spaces and parentheses, so parse after the last ')'.
        var close = text.LastIndexOf(')');
        if (close < 0 || close + 4 >= text.Length)
        {
            return null;
        }

        var fields = text[(close + 2)..].Split(' ', 3);
        return fields.Length >= 2 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent)
            ? (fields[0][0], parent)
            : null;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
