namespace BuildImages.AspNetCore;

/// <summary>
/// One item of images.json: a card (or a right-sized photo) of one job, with every file made for it, the alternative
/// text, and the variant social tags point to (the first full-width JPEG or PNG unless the job chose one).
/// </summary>
/// <param name="Job">The job's name in buildimages.json (or the MSBuild item's).</param>
/// <param name="Item">The item's id: its slug (a card) or its path below the photos' folder (a photo).</param>
/// <param name="Alt">The card's alternative text, when the job has one.</param>
/// <param name="Variants">Every file of the item.</param>
/// <param name="Tagged">The file og:image and twitter:image name; null for a photo.</param>
public sealed record ImageEntry(string Job, string Item, string? Alt, IReadOnlyList<ImageVariant> Variants, ImageVariant? Tagged);
