namespace Retab.Runs.Core.Limits;

/// <summary>What measuring a value against <see cref="ServiceLimits.MaxOutputBytes"/> and <see cref="ServiceLimits.MaxJsonDepth"/> found.</summary>
public enum JsonShape
{
    Fits,
    TooLarge,
    TooDeep,

    /// <summary>A string or key holds an unpaired UTF-16 surrogate: it cannot be read back as text, so it cannot be asserted on or stored.</summary>
    InvalidText,
}
