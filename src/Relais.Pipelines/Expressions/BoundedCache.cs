using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Relais.Pipelines.Expressions;

/// <summary>
/// A thread-safe string-keyed memo that forgets everything once it holds <c>capacity</c> entries, so
/// hostile input cannot grow it without bound. The size is counted on the side: asking a
/// <see cref="ConcurrentDictionary{TKey,TValue}"/> for its Count takes all of its locks, which costs more
/// than the work being cached.
/// </summary>
internal sealed class BoundedCache<TValue>(int capacity)
{
    private readonly ConcurrentDictionary<string, TValue> _entries = new(StringComparer.Ordinal);
    private int _count;

    public bool TryGet(string key, [MaybeNullWhen(false)] out TValue value) => _entries.TryGetValue(key, out value);

    public void Add(string key, TValue value)
    {
        if (Interlocked.Increment(ref _count) > capacity)
        {
            _entries.Clear();
            Interlocked.Exchange(ref _count, 1);
        }

        _entries[key] = value;
    }
}
