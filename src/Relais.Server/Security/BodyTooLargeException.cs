namespace Relais.Server.Security;

/// <summary>Thrown by <see cref="LimitedStream"/> when a body grows past its limit (after decompression, say).</summary>
public sealed class BodyTooLargeException(long limit) : IOException($"the body is larger than {limit} bytes");
