namespace BuildImages.Core.Encoders;

/// <summary>
/// How hard the encoders work for smaller files. <see cref="Balanced"/> is the default; the settings each profile
/// picks per format come from the measured table in the README ("Encoder settings"), see <see cref="EncoderSettings"/>.
/// </summary>
public enum EncoderProfile
{
    Balanced,
    Fast,
    Small,
}
