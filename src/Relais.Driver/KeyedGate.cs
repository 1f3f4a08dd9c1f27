namespace Relais.Driver;

/// <summary>
/// One turn at a time per key (a pipeline id), in arrival order per key. An entry exists only while someone holds
/// or waits for its key: the last one out removes it, so the table never grows with the number of pipelines seen.
/// One lock guards the table (the <c>_NeedsLock</c> methods run under it); waiting happens outside it.
/// </summary>
internal sealed class KeyedGate
{
    private const int PoolSize = 16;
    private readonly Lock _lock = new();
    private readonly Dictionary<long, Entry> _entries = [];
    private readonly Stack<Entry> _pool = new();

    /// <summary>Keys held or waited for right now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Waits for <paramref name="key"/>'s turn; dispose the result to end it.</summary>
    public async ValueTask<Turn> EnterAsync(long key)
    {
        Entry entry;
        lock (_lock)
        {
            entry = Join_NeedsLock(key);
        }

        await entry.Semaphore.WaitAsync();
        return new Turn(this, key, entry);
    }

    private Entry Join_NeedsLock(long key)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            entry = _pool.Count > 0 ? _pool.Pop() : new Entry();
            _entries[key] = entry;
        }

        entry.Users++;
        return entry;
    }

    private void Exit(long key, Entry entry)
    {
        lock (_lock)
        {
            entry.Semaphore.Release(); // SemaphoreSlim resumes a waiter asynchronously, never under this lock
            if (--entry.Users == 0)
            {
                _entries.Remove(key);
                if (_pool.Count < PoolSize)
                {
                    _pool.Push(entry);
                }
                else
                {
                    entry.Semaphore.Dispose();
                }
            }
        }
    }

    /// <summary>A held turn; <see cref="Dispose"/> ends it (once).</summary>
    public readonly struct Turn : IDisposable
    {
        private readonly KeyedGate _gate;
        private readonly long _key;
        private readonly Entry _entry;

        internal Turn(KeyedGate gate, long key, Entry entry) => (_gate, _key, _entry) = (gate, key, entry);

        public void Dispose() => _gate?.Exit(_key, _entry);
    }

    internal sealed class Entry
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
    }
}
