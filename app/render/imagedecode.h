#pragma once

#include <QByteArray>
#include <QImage>
#include <QString>

namespace inkroom::render {

//! A picture read from untrusted bytes, or why it could not be.
struct DecodedImage
{
    QImage image; //!< null when error is set
    QString error;
    QString format; //!< "png", "jpeg", "webp"
};

/** @brief Decode image bytes that came from the network, a file or the clipboard, safely.
 *
 * Only PNG, JPEG and WebP (when Qt's WebP plugin is installed) are read; the header is checked first
 * (proto::sniffImage(): at most limits::MaxImageSide a side and limits::MaxImagePixels), and QImageReader runs with an
 * allocation limit, so a decompression bomb or a damaged file gives an error and never a crash or a huge allocation.
 * Safe on any thread.
 */
[[nodiscard]] DecodedImage decodeImage(const QByteArray &bytes);

//! An image made ready to upload: its bytes (within the limits), their blob hash and the picture's size.
struct PreparedImage
{
    QByteArray bytes;
    QString hash;
    QImage image; //!< the decoded picture (for the board at once)
    QString error; //!< set when the source cannot be used
};

/** @brief Turn a picture the user chose (a file's bytes, or a clipboard image) into an image the server accepts.
 *
 * A file that is a PNG, JPEG or WebP within the limits (limits::MaxBlobBytes, MaxImageSide, MaxImagePixels) is kept
 * as it is. Anything larger (or a clipboard picture, or another format Qt reads) is scaled down to fit and written as
 * PNG (pictures with transparency) or JPEG (quality 90, smaller again until it fits). Refuses, with a sentence for
 * the user, what is not a picture at all. Safe on any thread; slow for big pictures: never on the GUI thread.
 */
[[nodiscard]] PreparedImage prepareImageFile(const QByteArray &fileBytes);
[[nodiscard]] PreparedImage prepareImage(const QImage &picture);

} // namespace inkroom::render
