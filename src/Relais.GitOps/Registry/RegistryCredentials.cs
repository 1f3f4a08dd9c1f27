namespace Relais.GitOps.Registry;

/// <summary>A registry user name and password (or token), from a secret; sent as Basic or exchanged at a token realm.</summary>
public sealed record RegistryCredentials(string Username, string Password);
