namespace Guidepost.Config.Entities;

/// <summary>A person who logs in to the admin UI and API with a password.</summary>
public sealed class User
{
    public Guid Id { get; set; }

    /// <summary>Stored lower-case; login is case-insensitive.</summary>
    public required string Username { get; set; }

    /// <summary>ASP.NET Core Identity's PasswordHasher format (PBKDF2, salted).</summary>
    public required string PasswordHash { get; set; }

    /// <summary>Instance administrators manage every subscription and create new ones.</summary>
    public bool IsInstanceAdmin { get; set; }

    public int FailedLogins { get; set; }
    public long? LockedUntil { get; set; }
    public long CreatedAt { get; set; }
    public long? LastLoginAt { get; set; }

    public List<Membership> Memberships { get; set; } = [];
}
