using System.Security.Cryptography;
using System.Text;

namespace Retab.Runs.Core.Runs;

/// <summary>
/// <see cref="RunPlan.InputsFingerprint"/> computed while the tests stream past, a test at a time in test-id order,
/// so a 100,000-test scope is hashed without holding it. It hashes exactly the bytes the one-shot form hashes
/// (<c>id=HandleInputsFingerprint</c> parts joined by U+001F): stored runs are compared with it.
/// </summary>
public sealed class InputsFingerprintBuilder : IDisposable
{
    private const byte Separator = 0x1f;

    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private string? _lastTestId;

    /// <summary>How many tests were added.</summary>
    public int Count { get; private set; }

    /// <summary>Adds the next test; ids must come in strictly ascending ordinal order, as the one-shot form sorts them.</summary>
    public void Add(string testId, string handleInputsFingerprint)
    {
        if (_lastTestId is not null && string.CompareOrdinal(_lastTestId, testId) >= 0)
            throw new InvalidOperationException($"Tests must be added in ascending id order: '{testId}' came after '{_lastTestId}'.");
        if (Count > 0)
            _hash.AppendData([Separator]);
        _hash.AppendData(Encoding.UTF8.GetBytes($"{testId}={handleInputsFingerprint}"));
        _lastTestId = testId;
        Count++;
    }

    /// <summary>The fingerprint of the tests added so far (the builder can go on).</summary>
    public string Current() => "sha256:" + Convert.ToHexStringLower(_hash.GetCurrentHash())[..32];

    public void Dispose() => _hash.Dispose();
}
