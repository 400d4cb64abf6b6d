// libFuzzer: the client's decoding of pictures that came from the network (render::decodeImage(): the header check,
// then QImageReader with an allocation limit) and the server's header check (proto::sniffImage()). Whatever the bytes,
// nothing crashes, nothing allocates past the limits, and a picture that decodes is the size its header says.
#include "imagedecode.h"
#include "imagesniff.h"
#include "protocollimits.h"

#include <QCoreApplication>

#include <cstdlib>

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    // Qt finds its image plugins (JPEG, WebP) through the application's library paths.
    static QCoreApplication app(*argc, *argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    QString why;
    const auto header = inkroom::proto::sniffImage(bytes, &why);
    if (!header && why.isEmpty())
        std::abort(); // a refusal always says why
    const inkroom::render::DecodedImage decoded = inkroom::render::decodeImage(bytes);
    if (decoded.image.isNull()) {
        if (decoded.error.isEmpty())
            std::abort();
        return 0;
    }
    // Decoded: the header allowed it, and the picture is what the header said, within the limits.
    if (!header || decoded.image.width() != header->width || decoded.image.height() != header->height
        || decoded.image.width() > inkroom::limits::MaxImageSide
        || decoded.image.height() > inkroom::limits::MaxImageSide)
        std::abort();
    return 0;
}
