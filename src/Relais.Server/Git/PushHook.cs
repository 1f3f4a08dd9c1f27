namespace Relais.Server.Git;

/// <summary>
/// The <c>pre-receive</c> hook every push runs through (<c>git -c core.hooksPath=DATA/hooks receive-pack</c>). git runs
/// it once the pack is received, before any ref moves, with the quarantined objects visible; when it exits non-zero
/// git refuses the whole push (<c>! [remote rejected] main -&gt; main (pre-receive hook declined)</c>) and the client
/// shows its stderr as <c>remote: GitLab: …</c>, as GitLab's hook does. The rules were applied before git started
/// (<see cref="PushGate"/>); the hook only carries out their verdicts, from its environment: a refusal, or a
/// fast-forward test (<c>git merge-base --is-ancestor</c>) where only a force push would be refused. It also counts
/// the commands git hands it, and refuses when there are more than were checked. No push runs without the verdicts.
/// </summary>
internal static class PushHook
{
    /// <summary>How many ref updates were checked.</summary>
    public const string CountVariable = "RELAIS_PUSH_CHECKED";

    /// <summary>The verdicts that are not a plain yes, one a line: <c>deny MESSAGE</c> or <c>ff OLD NEW MESSAGE</c>.</summary>
    public const string VerdictsVariable = "RELAIS_PUSH_VERDICTS";

    private const string Script = """
        #!/bin/sh
        # Written by Relais (src/Relais.Server/Git/PushHook.cs): carries out the push rules' verdicts. Do not edit.
        refuse() {
            printf 'GitLab: %s\n' "$1" >&2
            exit 1
        }
        [ -n "${RELAIS_PUSH_CHECKED:-}" ] || refuse "This push was not checked."
        count=0
        while read -r _old _new _ref; do
            count=$((count + 1))
        done
        [ "$count" -le "$RELAIS_PUSH_CHECKED" ] || refuse "This push has ref updates that were not checked."
        while read -r verdict rest; do
            case "$verdict" in
                deny) refuse "$rest" ;;
            esac
        done <<EOF
        ${RELAIS_PUSH_VERDICTS:-}
        EOF
        while read -r verdict old new message; do
            if [ "$verdict" = ff ] && ! git merge-base --is-ancestor "$old" "$new" 2>/dev/null; then
                refuse "$message"
            fi
        done <<EOF
        ${RELAIS_PUSH_VERDICTS:-}
        EOF
        exit 0

        """;

    /// <summary>Writes the hook into <paramref name="hooksDir"/> (owner-only, executable) and returns the directory.</summary>
    public static string Install(string hooksDir)
    {
        Directory.CreateDirectory(hooksDir);
        var path = Path.Combine(hooksDir, "pre-receive");
        var temp = path + ".new";
        File.WriteAllText(temp, Script.ReplaceLineEndings("\n"));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(hooksDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        File.Move(temp, path, overwrite: true);
        return hooksDir;
    }
}
