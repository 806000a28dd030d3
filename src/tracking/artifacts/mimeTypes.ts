/**
 * The content type and encoding Python's `mimetypes.guess_type` gives a file name with its
 * built-in tables (Python 3.11), which is how MLflow's S3 artifact repository labels the
 * objects it uploads. Python also reads the system's `/etc/mime.types` when present; these
 * are the built-in tables only, so the labels do not depend on the machine.
 */

/** Python's `mimetypes.suffix_map`: suffixes that stand for two. */
const SUFFIXES: Readonly<Record<string, string>> = { ".svgz": ".svg.gz", ".tgz": ".tar.gz", ".taz": ".tar.gz", ".tz": ".tar.gz", ".tbz2": ".tar.bz2", ".txz": ".tar.xz" };

/** Python's `mimetypes.encodings_map` (matched case-sensitively, as Python does). */
const ENCODINGS: Readonly<Record<string, string>> = { ".gz": "gzip", ".Z": "compress", ".bz2": "bzip2", ".xz": "xz", ".br": "br" };

/** Python's strict `mimetypes.types_map`. */
const TYPES: Readonly<Record<string, string>> = {
  ".3g2": "audio/3gpp2",
  ".3gp": "audio/3gpp",
  ".3gpp": "audio/3gpp",
  ".3gpp2": "audio/3gpp2",
  ".a": "application/octet-stream",
  ".aac": "audio/aac",
  ".adts": "audio/aac",
  ".ai": "application/postscript",
  ".aif": "audio/x-aiff",
  ".aifc": "audio/x-aiff",
  ".aiff": "audio/x-aiff",
  ".ass": "audio/aac",
  ".au": "audio/basic",
  ".avi": "video/x-msvideo",
  ".avif": "image/avif",
  ".bat": "text/plain",
  ".bcpio": "application/x-bcpio",
  ".bin": "application/octet-stream",
  ".bmp": "image/bmp",
  ".c": "text/plain",
  ".cdf": "application/x-netcdf",
  ".cpio": "application/x-cpio",
  ".csh": "application/x-csh",
  ".css": "text/css",
  ".csv": "text/csv",
  ".dll": "application/octet-stream",
  ".doc": "application/msword",
  ".dot": "application/msword",
  ".dvi": "application/x-dvi",
  ".eml": "message/rfc822",
  ".eps": "application/postscript",
  ".etx": "text/x-setext",
  ".exe": "application/octet-stream",
  ".gif": "image/gif",
  ".gtar": "application/x-gtar",
  ".h": "text/plain",
  ".h5": "application/x-hdf5",
  ".hdf": "application/x-hdf",
  ".heic": "image/heic",
  ".heif": "image/heif",
  ".htm": "text/html",
  ".html": "text/html",
  ".ico": "image/vnd.microsoft.icon",
  ".ief": "image/ief",
  ".jpe": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".jpg": "image/jpeg",
  ".js": "application/javascript",
  ".json": "application/json",
  ".ksh": "text/plain",
  ".latex": "application/x-latex",
  ".loas": "audio/aac",
  ".m1v": "video/mpeg",
  ".m3u": "application/vnd.apple.mpegurl",
  ".m3u8": "application/vnd.apple.mpegurl",
  ".man": "application/x-troff-man",
  ".me": "application/x-troff-me",
  ".mht": "message/rfc822",
  ".mhtml": "message/rfc822",
  ".mif": "application/x-mif",
  ".mjs": "application/javascript",
  ".mov": "video/quicktime",
  ".movie": "video/x-sgi-movie",
  ".mp2": "audio/mpeg",
  ".mp3": "audio/mpeg",
  ".mp4": "video/mp4",
  ".mpa": "video/mpeg",
  ".mpe": "video/mpeg",
  ".mpeg": "video/mpeg",
  ".mpg": "video/mpeg",
  ".ms": "application/x-troff-ms",
  ".n3": "text/n3",
  ".nc": "application/x-netcdf",
  ".nq": "application/n-quads",
  ".nt": "application/n-triples",
  ".nws": "message/rfc822",
  ".o": "application/octet-stream",
  ".obj": "application/octet-stream",
  ".oda": "application/oda",
  ".opus": "audio/opus",
  ".p12": "application/x-pkcs12",
  ".p7c": "application/pkcs7-mime",
  ".pbm": "image/x-portable-bitmap",
  ".pdf": "application/pdf",
  ".pfx": "application/x-pkcs12",
  ".pgm": "image/x-portable-graymap",
  ".pl": "text/plain",
  ".png": "image/png",
  ".pnm": "image/x-portable-anymap",
  ".pot": "application/vnd.ms-powerpoint",
  ".ppa": "application/vnd.ms-powerpoint",
  ".ppm": "image/x-portable-pixmap",
  ".pps": "application/vnd.ms-powerpoint",
  ".ppt": "application/vnd.ms-powerpoint",
  ".ps": "application/postscript",
  ".pwz": "application/vnd.ms-powerpoint",
  ".py": "text/x-python",
  ".pyc": "application/x-python-code",
  ".pyo": "application/x-python-code",
  ".qt": "video/quicktime",
  ".ra": "audio/x-pn-realaudio",
  ".ram": "application/x-pn-realaudio",
  ".ras": "image/x-cmu-raster",
  ".rdf": "application/xml",
  ".rgb": "image/x-rgb",
  ".roff": "application/x-troff",
  ".rtx": "text/richtext",
  ".sgm": "text/x-sgml",
  ".sgml": "text/x-sgml",
  ".sh": "application/x-sh",
  ".shar": "application/x-shar",
  ".snd": "audio/basic",
  ".so": "application/octet-stream",
  ".src": "application/x-wais-source",
  ".srt": "text/plain",
  ".sv4cpio": "application/x-sv4cpio",
  ".sv4crc": "application/x-sv4crc",
  ".svg": "image/svg+xml",
  ".swf": "application/x-shockwave-flash",
  ".t": "application/x-troff",
  ".tar": "application/x-tar",
  ".tcl": "application/x-tcl",
  ".tex": "application/x-tex",
  ".texi": "application/x-texinfo",
  ".texinfo": "application/x-texinfo",
  ".tif": "image/tiff",
  ".tiff": "image/tiff",
  ".tr": "application/x-troff",
  ".trig": "application/trig",
  ".tsv": "text/tab-separated-values",
  ".txt": "text/plain",
  ".ustar": "application/x-ustar",
  ".vcf": "text/x-vcard",
  ".vtt": "text/vtt",
  ".wasm": "application/wasm",
  ".wav": "audio/x-wav",
  ".webm": "video/webm",
  ".webmanifest": "application/manifest+json",
  ".wiz": "application/msword",
  ".wsdl": "application/xml",
  ".xbm": "image/x-xbitmap",
  ".xlb": "application/vnd.ms-excel",
  ".xls": "application/vnd.ms-excel",
  ".xml": "text/xml",
  ".xpdl": "application/xml",
  ".xpm": "image/x-xpixmap",
  ".xsl": "application/xml",
  ".xwd": "image/x-xwindowdump",
  ".zip": "application/zip",
};

/** A guessed content type and content encoding; null where Python's guess is None. */
export interface GuessedType {
  readonly type: string | null;
  readonly encoding: string | null;
}

/** `posixpath.splitext`: the extension starts at the last dot of the last segment, unless that segment only starts with dots. */
function splitExt(path: string): [string, string] {
  const slash = path.lastIndexOf("/");
  const dot = path.lastIndexOf(".");
  if (dot <= slash) return [path, ""];
  let first = slash + 1;
  while (first < dot && path[first] === ".") first++;
  return first === dot ? [path, ""] : [path.slice(0, dot), path.slice(dot)];
}

/** What `mimetypes.guess_type(path)` answers with Python's built-in tables. */
export function guessMimeType(path: string): GuessedType {
  let [base, ext] = splitExt(path);
  for (let suffix = SUFFIXES[ext.toLowerCase()]; suffix !== undefined; suffix = SUFFIXES[ext.toLowerCase()]) [base, ext] = splitExt(base + suffix);
  let encoding: string | null = null;
  const enc = Object.hasOwn(ENCODINGS, ext) ? ENCODINGS[ext] : undefined;
  if (enc !== undefined) {
    encoding = enc;
    [base, ext] = splitExt(base);
  }
  const lower = ext.toLowerCase();
  if (Object.hasOwn(TYPES, lower)) return { type: TYPES[lower] as string, encoding };
  if (Object.hasOwn(TYPES, ext)) return { type: TYPES[ext] as string, encoding };
  return { type: null, encoding };
}
