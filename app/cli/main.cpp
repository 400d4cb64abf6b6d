#include "cliclient.h"

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("inkroom-cli"));
    QCoreApplication::setOrganizationName(QStringLiteral("Inkroom"));
    return inkroom::client::runCli(app);
}
