using System.Buffers.Binary;
using System.Text;

namespace Relais.Server.Artifacts;

/// <summary>One entry of a zip's central directory: its name, sizes, and where its data starts.</summary>
internal sealed record ZipEntryInfo(string FullName, long CompressedLength, long Length, long LocalHeaderOffset, int Method, bool Encrypted)
{
    public bool IsDirectory => FullName.EndsWith('/');
}

/// <summary>
/// Reads a zip's central directory one entry at a time (zip64 included), holding none of them: the artifact browser
/// walks archives of hundreds of thousands of entries with it in constant memory, where <c>ZipArchive</c> builds an
/// object per entry first. Anything malformed throws <see cref="InvalidDataException"/>.
/// </summary>
internal static class ZipCentralDirectory
{
    private const uint EndSignature = 0x06054b50;
    private const uint Zip64LocatorSignature = 0x07064b50;
    private const uint Zip64EndSignature = 0x06064b50;
    private const uint EntrySignature = 0x02014b50;
    private const uint LocalSignature = 0x04034b50;

    /// <summary>The entries of the zip in <paramref name="file"/> (seekable), in the order the archive lists them.</summary>
    public static IEnumerable<ZipEntryInfo> Entries(Stream file)
    {
        var (count, offset, size) = FindDirectory(file);
        if (offset < 0 || size < 0 || offset > file.Length || size > file.Length - offset)
        {
            throw new InvalidDataException("the zip's central directory is out of the file");
        }

        file.Position = offset;
        var input = new BufferedStream(file, 64 * 1024);
        var header = new byte[46];
        var name = new byte[ushort.MaxValue];
        var extra = new byte[ushort.MaxValue];
        for (long i = 0; i < count; i++)
        {
            ReadExactly(input, header);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header) != EntrySignature)
            {
                throw new InvalidDataException("a central directory entry is malformed");
            }

            int flags = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(8));
            int method = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(10));
            long compressed = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(20));
            long length = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(24));
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(28));
            int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(30));
            int commentLength = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(32));
            long local = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(42));
            ReadExactly(input, name.AsSpan(0, nameLength));
            ReadExactly(input, extra.AsSpan(0, extraLength));
            Skip(input, commentLength);
            ApplyZip64(extra.AsSpan(0, extraLength), ref length, ref compressed, ref local);
            var encoding = (flags & 0x800) != 0 ? Encoding.UTF8 : Encoding.Latin1;
            yield return new ZipEntryInfo(encoding.GetString(name, 0, nameLength), compressed, length, local, method, (flags & 1) != 0);
        }
    }

    /// <summary>
    /// The data of <paramref name="entry"/>, decompressed (stored or deflated entries), as a stream over
    /// <paramref name="file"/> that yields at most the entry's declared length; null for a method or encryption
    /// this cannot read.
    /// </summary>
    public static Stream? Open(Stream file, ZipEntryInfo entry)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Encrypted || entry.Method is not (0 or 8) || entry.LocalHeaderOffset > file.Length - 30)
        {
            return null;
        }

        var header = new byte[30];
        file.Position = entry.LocalHeaderOffset;
        ReadExactly(file, header);
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != LocalSignature)
        {
            throw new InvalidDataException("a local file header is malformed");
        }

        var start = entry.LocalHeaderOffset + 30 + BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(26)) + BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(28));
        if (start > file.Length || entry.CompressedLength > file.Length - start)
        {
            throw new InvalidDataException("an entry's data is out of the file");
        }

        file.Position = start;
        var raw = new BoundedReadStream(file, entry.CompressedLength);
        return entry.Method == 0 ? raw : new BoundedReadStream(new System.IO.Compression.DeflateStream(raw, System.IO.Compression.CompressionMode.Decompress), entry.Length);
    }

    /// <summary>The entry count, offset and size of the central directory, from the (zip64) end record.</summary>
    private static (long Count, long Offset, long Size) FindDirectory(Stream file)
    {
        var tailLength = (int)Math.Min(file.Length, 22 + ushort.MaxValue);
        var tail = new byte[tailLength];
        file.Position = file.Length - tailLength;
        ReadExactly(file, tail);
        var at = -1;
        for (var i = tailLength - 22; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(i)) == EndSignature)
            {
                at = i;
                break;
            }
        }

        if (at < 0)
        {
            throw new InvalidDataException("no end of central directory record");
        }

        long count = BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(at + 10));
        long size = BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(at + 12));
        long offset = BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(at + 16));
        var endPosition = file.Length - tailLength + at;
        if ((count == 0xFFFF || size == 0xFFFFFFFF || offset == 0xFFFFFFFF) && endPosition >= 20)
        {
            var locator = new byte[20];
            file.Position = endPosition - 20;
            ReadExactly(file, locator);
            if (BinaryPrimitives.ReadUInt32LittleEndian(locator) == Zip64LocatorSignature)
            {
                var zip64 = new byte[56];
                var zip64At = BinaryPrimitives.ReadInt64LittleEndian(locator.AsSpan(8));
                if (zip64At < 0 || zip64At > file.Length - 56)
                {
                    throw new InvalidDataException("the zip64 end record is out of the file");
                }

                file.Position = zip64At;
                ReadExactly(file, zip64);
                if (BinaryPrimitives.ReadUInt32LittleEndian(zip64) != Zip64EndSignature)
                {
                    throw new InvalidDataException("the zip64 end record is malformed");
                }

                count = BinaryPrimitives.ReadInt64LittleEndian(zip64.AsSpan(32));
                size = BinaryPrimitives.ReadInt64LittleEndian(zip64.AsSpan(40));
                offset = BinaryPrimitives.ReadInt64LittleEndian(zip64.AsSpan(48));
            }
        }

        // Each entry takes at least 46 bytes: a count the directory cannot hold is a lie.
        return count < 0 || count > size / 46 + 1 ? throw new InvalidDataException("the entry count does not fit the directory") : (count, offset, size);
    }

    /// <summary>Reads the zip64 extended information field: the 64-bit values of those fields saturated in the header.</summary>
    private static void ApplyZip64(ReadOnlySpan<byte> extra, ref long length, ref long compressed, ref long local)
    {
        while (extra.Length >= 4)
        {
            int id = BinaryPrimitives.ReadUInt16LittleEndian(extra);
            int dataLength = BinaryPrimitives.ReadUInt16LittleEndian(extra[2..]);
            if (dataLength > extra.Length - 4)
            {
                return;
            }

            var data = extra.Slice(4, dataLength);
            if (id == 1)
            {
                if (length == 0xFFFFFFFF && data.Length >= 8)
                {
                    length = BinaryPrimitives.ReadInt64LittleEndian(data);
                    data = data[8..];
                }

                if (compressed == 0xFFFFFFFF && data.Length >= 8)
                {
                    compressed = BinaryPrimitives.ReadInt64LittleEndian(data);
                    data = data[8..];
                }

                if (local == 0xFFFFFFFF && data.Length >= 8)
                {
                    local = BinaryPrimitives.ReadInt64LittleEndian(data);
                }

                return;
            }

            extra = extra[(4 + dataLength)..];
        }
    }

    private static void ReadExactly(Stream input, Span<byte> buffer)
    {
        try
        {
            input.ReadExactly(buffer);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("the zip ends too early", e);
        }
    }

    private static void Skip(Stream input, int count)
    {
        Span<byte> scratch = stackalloc byte[256];
        while (count > 0)
        {
            var n = Math.Min(count, scratch.Length);
            ReadExactly(input, scratch[..n]);
            count -= n;
        }
    }
}
