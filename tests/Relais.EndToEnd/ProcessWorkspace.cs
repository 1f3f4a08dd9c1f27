using Relais.TestSupport;

namespace Relais.EndToEnd;

/// <summary>
/// A fresh temp folder and the <see cref="RelaisProcess"/>es a test started in it: disposing stops the processes,
/// then deletes the folder.
/// </summary>
internal sealed class ProcessWorkspace(string name) : IDisposable
{
    private readonly TempDirectory _root = new(name);
    private readonly List<RelaisProcess> _processes = [];

    /// <summary>The folder (it exists).</summary>
    public string Root => _root.Path;

    /// <summary>Keeps <paramref name="process"/> to be stopped on dispose, and returns it.</summary>
    public RelaisProcess Start(RelaisProcess process)
    {
        _processes.Add(process);
        return process;
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        _root.Dispose();
    }
}
