#pragma once

#include "protocol.h"

//! One malformed input and the decode error it must give.
struct MalformedCase
{
    const char *name;
    QByteArray bytes;
    inkroom::proto::ErrorCode code;
    QString field;
};

[[nodiscard]] QList<MalformedCase> malformedCases();
