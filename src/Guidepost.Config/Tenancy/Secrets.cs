using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Guidepost.Config.Tenancy;

/// <summary>Generates identifiers and secrets, and hashes secrets for storage.</summary>
public static class Secrets
{
    public const string IntegrationKeyPrefix = "gpk_";
    public const int MinSecretLength = 16;

    /// <summary>A random positive id below 2^53, so JavaScript clients read it exactly and ids stay unique
    /// when configuration moves between instances.</summary>
    public static long NewId()
    {
        const long maxSafeInteger = (1L << 53) - 1;
        long id;
        do id = BinaryPrimitives.ReadInt64LittleEndian(RandomNumberGenerator.GetBytes(8)) & maxSafeInteger;
        while (id == 0);
        return id;
    }

    /// <summary>A public application API key in the UUID form Pendo's agent and snippets expect.</summary>
    public static string NewApiKey() => Guid.NewGuid().ToString("D");

    /// <summary>A 256-bit integration-key secret, URL-safe and prefixed so secret scanners can spot it.</summary>
    public static string NewIntegrationKey() => IntegrationKeyPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>A password for a generated admin account.</summary>
    public static string NewPassword() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(18));

    /// <summary>SHA-256, hex. Integration-key secrets are long and random, so a fast hash suffices and a
    /// secret is found by its hash through an index.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>The part of a secret shown to people to tell keys apart.</summary>
    public static string Hint(string secret) => secret.Length <= 8 ? "" : secret[..8];
}
