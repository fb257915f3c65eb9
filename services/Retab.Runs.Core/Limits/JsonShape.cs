namespace Retab.Runs.Core.Limits;

/// <summary>What measuring a value against <see cref="ServiceLimits.MaxOutputBytes"/> and <see cref="ServiceLimits.MaxJsonDepth"/> found.</summary>
public enum JsonShape
{
    Fits,
    TooLarge,
    TooDeep,
}
