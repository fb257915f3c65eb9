namespace Retab.Runs.Models;

/// <summary>Cosine similarity clamped to [0, 1]: opposite meanings score 0, as a threshold in [0, 1] expects.</summary>
public static class Cosine
{
    public static double Similarity(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
            throw new InvalidOperationException($"embeddings of different lengths ({a.Length} and {b.Length})");
        double dot = 0, normA = 0, normB = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            normA += (double)a[i] * a[i];
            normB += (double)b[i] * b[i];
        }
        if (normA == 0 || normB == 0)
            return 0;
        return Math.Clamp(dot / (Math.Sqrt(normA) * Math.Sqrt(normB)), 0, 1);
    }
}
