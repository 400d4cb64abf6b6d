#pragma once

#include <QColor>
#include <QObject>
#include <QStringList>
#include <QUrl>

#include <optional>

QT_BEGIN_NAMESPACE
class QCoreApplication;
class QSocketNotifier;
QT_END_NAMESPACE

namespace inkroom::client {

class HistoryFetcher;
class Session;

/** @brief inkroom-cli: a command-line client on the client core, for scripting, bots, debugging and tests.
 *
 * Each line on standard input is sent as a chat message; "/quit" (or the end of input) waits until every queued
 * change is settled and exits 0, or 3 when the room refused any of them for good (each refusal is printed as a
 * reject event and on standard error). Every event is printed on standard output as one JSON object per line with
 * a "type"; errors go to standard error. A failure that retrying cannot fix exits 1 with the reason; bad
 * arguments exit 2.
 */
class CliClient : public QObject
{
    Q_OBJECT

public:
    enum ExitCode {
        ExitOk = 0,
        ExitFailed = 1,
        ExitUsage = 2,
        ExitRefused = 3, //!< everything was settled, but the room refused some of it for good
    };

    struct Options
    {
        QList<QUrl> servers; //!< the room's addresses (--server repeated: nodes of one room), tried in turn
        QString room;
        QString name;
        QString password;
        QString token;
        QColor colour;
        QString stateDirectory; //!< empty: no journal
        bool volatileEvents = false; //!< also print cursor and live stroke events
        double quitTimeoutSeconds = -1; //!< after /quit: give up waiting this long (< 0: wait for ever)
        QString fingerprint; //!< wss://: the server's certificate must have this SHA-256 fingerprint
        bool acceptNewCertificate = false; //!< wss://: trust a server seen for the first time (and pin it)
        QString knownServersFile; //!< the servers trusted before (empty: none, in memory only)
        QString exportPath; //!< write the board to this file once synced, then exit (format from its extension)
        //! --replay: print the room's whole history from the server as JSON lines (nothing else), then exit.
        bool replay = false;
        //! --discover: list the servers on this network (CliDiscovery) for discoverSeconds instead of joining.
        bool discover = false;
        double discoverSeconds = 5;
    };

    //! Parse the command line; on --help, --version or an error, returns nullopt with *exitCode and the text to
    //! print (*out for stdout, *err for stderr).
    [[nodiscard]] static std::optional<Options> parse(const QStringList &arguments, int *exitCode, QString *out,
                                                      QString *err);

    explicit CliClient(const Options &options, QObject *parent = nullptr);
    ~CliClient() override;

    //! Join the room and start reading standard input (fd 0), or, with an export path, wait for the board.
    void start();
    //! Whether the command line asks for painting (an export): main() then makes a QGuiApplication, for fonts.
    [[nodiscard]] static bool needsFonts(int argc, char **argv);
    [[nodiscard]] Session *session() const { return m_session; }

Q_SIGNALS:
    void finished(int exitCode);

private:
    void print(const QJsonObject &event);
    void printError(const QString &text);
    void readInput();
    void handleLine(QString line);
    //! Run the lines that waited for the member list (commands naming people), in order.
    void runWaitingLines();
    void requestQuit();
    void checkDone();
    void exportBoard();
    //! --replay: page through the history and print it; exits once it reaches the room's head.
    void startReplay();

    Options m_options;
    Session *m_session;
    QSocketNotifier *m_stdin = nullptr;
    QByteArray m_buffer;
    bool m_quitRequested = false;
    bool m_done = false;
    int m_refused = 0;
    //! Lines held until the room's member list is known: a command naming somebody, and every line after it.
    QStringList m_waiting;
    bool m_synced = false;
    HistoryFetcher *m_history = nullptr; //!< --replay
};

//! main() of inkroom-cli.
int runCli(QCoreApplication &app);

} // namespace inkroom::client
