<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About Inkroom</source>
        <translation>Über Inkroom</translation>
    </message>
    <message>
        <source>Inkroom</source>
        <translation>Inkroom</translation>
    </message>
    <message>
        <source>Version %1</source>
        <translation>Version %1</translation>
    </message>
    <message>
        <source>Draw and chat together, live, on a local network. Nothing you make is lost: changes wait on disk until the room has them.</source>
        <translation>Gemeinsam zeichnen und chatten, live, im lokalen Netz. Nichts, was Sie machen, geht verloren: Änderungen warten auf der Festplatte, bis der Raum sie hat.</translation>
    </message>
    <message>
        <source>Free software under the GNU General Public License, version 3 or later.</source>
        <translation>Freie Software unter der GNU General Public License, Version 3 oder neuer.</translation>
    </message>
</context>
<context>
    <name>AppController</name>
    <message>
        <source>Guest</source>
        <translation>Gast</translation>
    </message>
    <message>
        <source>Black</source>
        <translation>Schwarz</translation>
    </message>
    <message>
        <source>Red</source>
        <translation>Rot</translation>
    </message>
    <message>
        <source>Orange</source>
        <translation>Orange</translation>
    </message>
    <message>
        <source>Yellow</source>
        <translation>Gelb</translation>
    </message>
    <message>
        <source>Green</source>
        <translation>Grün</translation>
    </message>
    <message>
        <source>Teal</source>
        <translation>Petrol</translation>
    </message>
    <message>
        <source>Blue</source>
        <translation>Blau</translation>
    </message>
    <message>
        <source>Indigo</source>
        <translation>Indigo</translation>
    </message>
    <message>
        <source>Purple</source>
        <translation>Lila</translation>
    </message>
    <message>
        <source>Pink</source>
        <translation>Pink</translation>
    </message>
    <message>
        <source>Brown</source>
        <translation>Braun</translation>
    </message>
    <message>
        <source>Grey</source>
        <translation>Grau</translation>
    </message>
</context>
<context>
    <name>AppMenuBar</name>
    <message>
        <source>&amp;Room</source>
        <translation>&amp;Raum</translation>
    </message>
    <message>
        <source>&amp;Invite people…</source>
        <translation>Leute &amp;einladen …</translation>
    </message>
    <message>
        <source>&amp;Leave the room</source>
        <translation>Raum &amp;verlassen</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>B&amp;earbeiten</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Wiederherstellen</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>&amp;Ausschneiden</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>E&amp;infügen</translation>
    </message>
    <message>
        <source>D&amp;uplicate</source>
        <translation>&amp;Duplizieren</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <source>Select &amp;all</source>
        <translation>Alles a&amp;uswählen</translation>
    </message>
    <message>
        <source>Bring to &amp;front</source>
        <translation>Nach &amp;vorne bringen</translation>
    </message>
    <message>
        <source>Send to &amp;back</source>
        <translation>Nach &amp;hinten stellen</translation>
    </message>
    <message>
        <source>&amp;Board</source>
        <translation>&amp;Tafel</translation>
    </message>
    <message>
        <source>Add &amp;image…</source>
        <translation>&amp;Bild hinzufügen …</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>&amp;Exportieren …</translation>
    </message>
    <message>
        <source>Copy as i&amp;mage</source>
        <translation>Als Bild &amp;kopieren</translation>
    </message>
    <message>
        <source>&amp;History…</source>
        <translation>&amp;Verlauf …</translation>
    </message>
    <message>
        <source>&amp;Clear the board…</source>
        <translation>Tafel &amp;leeren …</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>Zoom &amp;in</source>
        <translation>&amp;Vergrößern</translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation>Ver&amp;kleinern</translation>
    </message>
    <message>
        <source>&amp;Actual size</source>
        <translation>&amp;Originalgröße</translation>
    </message>
    <message>
        <source>&amp;Fit the board</source>
        <translation>Ganze Tafel &amp;zeigen</translation>
    </message>
    <message>
        <source>Show &amp;grid</source>
        <translation>&amp;Raster zeigen</translation>
    </message>
    <message>
        <source>F&amp;ollow</source>
        <translation>&amp;Folgen</translation>
    </message>
    <message>
        <source>Stop following</source>
        <translation>Nicht mehr folgen</translation>
    </message>
    <message>
        <source>Following nobody</source>
        <translation>Sie folgen niemandem</translation>
    </message>
    <message>
        <source>Connection &amp;details…</source>
        <translation>Verbindungs&amp;details …</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Tastenkürzel</translation>
    </message>
    <message>
        <source>&amp;About Inkroom</source>
        <translation>Ü&amp;ber Inkroom</translation>
    </message>
    <message>
        <source>Del</source>
        <translation>Entf</translation>
    </message>
    <message>
        <source>&amp;System</source>
        <translation>Wie das &amp;System</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>&amp;Hell</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>&amp;Dunkel</translation>
    </message>
    <message>
        <source>A&amp;ppearance</source>
        <translation>&amp;Erscheinungsbild</translation>
    </message>
</context>
<context>
    <name>BoardContextMenu</name>
    <message>
        <source>Cut</source>
        <translation>Ausschneiden</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Paste here</source>
        <translation>Hier einfügen</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>Duplizieren</translation>
    </message>
    <message>
        <source>Bring to front</source>
        <translation>Nach vorne bringen</translation>
    </message>
    <message>
        <source>Send to back</source>
        <translation>Nach hinten stellen</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Del</source>
        <translation>Entf</translation>
    </message>
</context>
<context>
    <name>BoardToolbar</name>
    <message>
        <source>View only</source>
        <translation>Nur ansehen</translation>
    </message>
    <message>
        <source>Select</source>
        <translation>Auswählen</translation>
    </message>
    <message>
        <source>Pen</source>
        <translation>Stift</translation>
    </message>
    <message>
        <source>Marker</source>
        <translation>Textmarker</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Linie</translation>
    </message>
    <message>
        <source>Arrow</source>
        <translation>Pfeil</translation>
    </message>
    <message>
        <source>Box</source>
        <translation>Rechteck</translation>
    </message>
    <message>
        <source>Ellipse</source>
        <translation>Ellipse</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>Eraser</source>
        <translation>Radierer</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Wiederherstellen</translation>
    </message>
    <message>
        <source>Clear the board for everyone</source>
        <translation>Die Tafel für alle leeren</translation>
    </message>
    <message>
        <source>%1 or %2</source>
        <translation>%1 oder %2</translation>
    </message>
    <message>
        <source>Laser pointer</source>
        <translation>Laserpointer</translation>
    </message>
    <message>
        <source>Laser pointer — K: everyone sees where you point, for a moment</source>
        <translation>Laserpointer — K: Alle sehen kurz, worauf Sie zeigen</translation>
    </message>
    <message>
        <source>Ctrl+Z</source>
        <translation>Strg+Z</translation>
    </message>
    <message>
        <source>Ctrl+Shift+Z</source>
        <translation>Strg+Umschalt+Z</translation>
    </message>
</context>
<context>
    <name>ChatPanel</name>
    <message>
        <source>Private, to %1</source>
        <translation>Privat, an %1</translation>
    </message>
    <message>
        <source>Private, only to you</source>
        <translation>Privat, nur an Sie</translation>
    </message>
    <message>
        <source>Not delivered</source>
        <translation>Nicht zugestellt</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Wird gesendet …</translation>
    </message>
    <message>
        <source>%1 is typing…</source>
        <translation>%1 schreibt …</translation>
    </message>
    <message>
        <source>%1 and %2 are typing…</source>
        <translation>%1 und %2 schreiben …</translation>
    </message>
    <message>
        <source>Several people are typing…</source>
        <translation>Mehrere Personen schreiben …</translation>
    </message>
    <message>
        <source>Private message to %1</source>
        <translation>Private Nachricht an %1</translation>
    </message>
    <message>
        <source>Back to the room</source>
        <translation>Zurück zum Raum</translation>
    </message>
    <message>
        <source>Chat message</source>
        <translation>Chatnachricht</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Message %1 privately</source>
        <translation>Private Nachricht an %1</translation>
    </message>
    <message>
        <source>Message the room</source>
        <translation>Nachricht an den Raum</translation>
    </message>
    <message>
        <source>Enter sends · Shift+Enter starts a new line</source>
        <translation>Eingabe sendet · Umschalt+Eingabe beginnt eine neue Zeile</translation>
    </message>
    <message>
        <source>Chat messages</source>
        <translation>Chatnachrichten</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Private message</source>
        <translation>Private Nachricht</translation>
    </message>
</context>
<context>
    <name>ColourSwatch</name>
    <message>
        <source>Colour %1</source>
        <translation>Farbe %1</translation>
    </message>
</context>
<context>
    <name>ConnectionBanner</name>
    <message>
        <source>First connection to %1. Trust it only if whoever runs the server sees this certificate fingerprint (SHA-256):</source>
        <translation>Erste Verbindung zu %1. Vertrauen Sie ihm nur, wenn die Person, die den Server betreibt, diesen Zertifikat-Fingerabdruck (SHA-256) sieht:</translation>
    </message>
    <message>
        <source> · %1 ms</source>
        <translation> · %1 ms</translation>
    </message>
    <message>
        <source> · not encrypted</source>
        <translation> · nicht verschlüsselt</translation>
    </message>
    <message>
        <source>Certificate fingerprint</source>
        <translation>Zertifikat-Fingerabdruck</translation>
    </message>
    <message>
        <source>Trust and connect</source>
        <translation>Vertrauen und verbinden</translation>
    </message>
    <message>
        <source>Don&apos;t connect</source>
        <translation>Nicht verbinden</translation>
    </message>
    <message>
        <source>Forget the old certificate</source>
        <translation>Altes Zertifikat vergessen</translation>
    </message>
    <message>
        <source>Only when whoever runs the server confirmed that its certificate changed: you will be asked to trust the new one</source>
        <translation>Nur wenn die Person, die den Server betreibt, bestätigt hat, dass sich sein Zertifikat geändert hat: Sie werden gefragt, ob Sie dem neuen vertrauen</translation>
    </message>
    <message>
        <source>Room password</source>
        <translation>Raumpasswort</translation>
    </message>
    <message>
        <source>Join</source>
        <translation>Beitreten</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Erneut versuchen</translation>
    </message>
    <message>
        <source>Retry now</source>
        <translation>Jetzt erneut versuchen</translation>
    </message>
    <message>
        <source>Back to start</source>
        <translation>Zurück zum Start</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>Round trip, what waits to be sent, and the server&apos;s certificate</source>
        <translation>Antwortzeit, was noch gesendet werden muss, und das Zertifikat des Servers</translation>
    </message>
    <message>
        <source>Password of the room, if it has one</source>
        <translation>Passwort des Raums, falls er eines hat</translation>
    </message>
</context>
<context>
    <name>CursorLayer</name>
    <message>
        <source>Follow %1</source>
        <translation>%1 folgen</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>There is nothing on the board to copy.</source>
        <translation>Auf der Tafel ist nichts zum Kopieren.</translation>
    </message>
    <message>
        <source>Export this moment (%1)</source>
        <translation>Diesen Moment exportieren (%1)</translation>
    </message>
    <message>
        <source>Export the board</source>
        <translation>Die Tafel exportieren</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <source>PNG picture</source>
        <translation>PNG-Bild</translation>
    </message>
    <message>
        <source>SVG drawing (vector)</source>
        <translation>SVG-Zeichnung (Vektor)</translation>
    </message>
    <message>
        <source>PDF document (vector)</source>
        <translation>PDF-Dokument (Vektor)</translation>
    </message>
    <message>
        <source>Scale</source>
        <translation>Maßstab</translation>
    </message>
    <message>
        <source>100 %</source>
        <translation>100 %</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>Seiten</translation>
    </message>
    <message>
        <source>One page that fits the board</source>
        <translation>Eine Seite, auf die die ganze Tafel passt</translation>
    </message>
    <message>
        <source>A4 pages</source>
        <translation>A4-Seiten</translation>
    </message>
    <message>
        <source>A3 pages</source>
        <translation>A3-Seiten</translation>
    </message>
    <message>
        <source>Letter pages</source>
        <translation>Letter-Seiten</translation>
    </message>
    <message>
        <source>Landscape</source>
        <translation>Querformat</translation>
    </message>
    <message>
        <source>Only the selection (nothing is selected)</source>
        <translation>Nur die Auswahl (nichts ist ausgewählt)</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>A file of that name exists: exporting replaces it.</source>
        <translation>Eine Datei mit diesem Namen existiert: Der Export ersetzt sie.</translation>
    </message>
    <message>
        <source>Replace</source>
        <translation>Ersetzen</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exportieren</translation>
    </message>
    <message>
        <source>Copy as image</source>
        <translation>Als Bild kopieren</translation>
    </message>
    <message numerus="yes">
        <source>%n page(s)</source>
        <translation>
            <numerusform>%n Seite</numerusform>
            <numerusform>%n Seiten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Only the selection (%n item(s))</source>
        <translation>
            <numerusform>Nur die Auswahl (%n Element)</numerusform>
            <numerusform>Nur die Auswahl (%n Elemente)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FollowBanner</name>
    <message>
        <source>Following %1 (they asked everyone)</source>
        <translation>Sie folgen %1 (auf Wunsch an alle)</translation>
    </message>
    <message>
        <source>Following %1</source>
        <translation>Sie folgen %1</translation>
    </message>
    <message>
        <source>You stopped following %1</source>
        <translation>Sie folgen %1 nicht mehr</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <source>Stop following (Esc); panning or zooming stops it too</source>
        <translation>Nicht mehr folgen (Esc); auch Verschieben oder Zoomen beendet es</translation>
    </message>
    <message>
        <source>Follow again</source>
        <translation>Wieder folgen</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Schließen</translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <source>Nothing has happened on this board yet.</source>
        <translation>Auf dieser Tafel ist noch nichts geschehen.</translation>
    </message>
    <message>
        <source>Nothing has happened on the board since you joined.</source>
        <translation>Seit Ihrem Beitritt ist auf der Tafel nichts geschehen.</translation>
    </message>
    <message>
        <source>Loading the room&apos;s history… %1%</source>
        <translation>Der Verlauf des Raums wird geladen … %1 %</translation>
    </message>
    <message>
        <source>Only what you saw since you joined: %1</source>
        <translation>Nur, was Sie seit Ihrem Beitritt gesehen haben: %1</translation>
    </message>
    <message>
        <source>The whole history</source>
        <translation>Der ganze Verlauf</translation>
    </message>
    <message>
        <source>Export this moment…</source>
        <translation>Diesen Moment exportieren …</translation>
    </message>
    <message>
        <source>Back to the live board</source>
        <translation>Zurück zur aktuellen Tafel</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>Abspielen</translation>
    </message>
    <message>
        <source>Moment in the history</source>
        <translation>Moment im Verlauf</translation>
    </message>
    <message>
        <source>%1 · %2 %3</source>
        <translation>%1 · %2 %3</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) · %1 to %2</source>
        <translation>
            <numerusform>%n Änderung · %1 bis %2</numerusform>
            <numerusform>%n Änderungen · %1 bis %2</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>InviteDialog</name>
    <message>
        <source>Invite people</source>
        <translation>Leute einladen</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Kopiert</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Copy the %1</source>
        <translation>%1 kopieren</translation>
    </message>
    <message>
        <source>There is no link while the room&apos;s address is not known.</source>
        <translation>Solange die Adresse des Raums nicht bekannt ist, gibt es keinen Link.</translation>
    </message>
    <message>
        <source>Link</source>
        <translation>Link</translation>
    </message>
    <message>
        <source>People on this network open it, or paste it on Inkroom&apos;s start page.</source>
        <translation>Leute in diesem Netz öffnen ihn oder fügen ihn auf der Startseite von Inkroom ein.</translation>
    </message>
    <message>
        <source>Join code</source>
        <translation>Beitrittscode</translation>
    </message>
    <message>
        <source>Read it aloud: people on this network type it on their start page instead of the link.</source>
        <translation>Lesen Sie ihn vor: Leute in diesem Netz tippen ihn statt des Links auf ihrer Startseite ein.</translation>
    </message>
    <message>
        <source>Server fingerprint (SHA-256)</source>
        <translation>Fingerabdruck des Servers (SHA-256)</translation>
    </message>
    <message>
        <source>The first time people join, Inkroom asks them to trust this server: they should see exactly this fingerprint.</source>
        <translation>Beim ersten Beitritt fragt Inkroom, ob man diesem Server vertraut: Dann sollte genau dieser Fingerabdruck zu sehen sein.</translation>
    </message>
</context>
<context>
    <name>LeaveHostDialog</name>
    <message>
        <source>Quit while hosting “%1”?</source>
        <translation>Beenden, während Sie „%1“ bereitstellen?</translation>
    </message>
    <message>
        <source>Leave “%1”?</source>
        <translation>„%1“ verlassen?</translation>
    </message>
    <message>
        <source>Nobody else is in it right now.</source>
        <translation>Gerade ist niemand sonst darin.</translation>
    </message>
    <message>
        <source>This computer serves the room. %1</source>
        <translation>Dieser Computer stellt den Raum bereit. %1</translation>
    </message>
    <message>
        <source>Keep serving it in the background</source>
        <translation>Im Hintergrund weiter bereitstellen</translation>
    </message>
    <message>
        <source>Everyone can go on drawing and chatting, and newcomers can join. Inkroom stays in the system tray; stop hosting from there.</source>
        <translation>Alle können weiter zeichnen und chatten, und Neue können beitreten. Inkroom bleibt im Systemabschnitt der Kontrollleiste; von dort beenden Sie die Bereitstellung.</translation>
    </message>
    <message>
        <source>Everyone can go on drawing and chatting, and newcomers can join. This window stays open and says it is still hosting; stop hosting from there.</source>
        <translation>Alle können weiter zeichnen und chatten, und Neue können beitreten. Dieses Fenster bleibt offen und zeigt, dass der Raum noch bereitgestellt wird; dort beenden Sie die Bereitstellung.</translation>
    </message>
    <message>
        <source>Close the room for everyone</source>
        <translation>Den Raum für alle schließen</translation>
    </message>
    <message>
        <source>Everyone in it is told that you closed it. The board and chat stay saved on this computer; hosting a room of the same name opens them again.</source>
        <translation>Alle darin erfahren, dass Sie ihn geschlossen haben. Tafel und Chat bleiben auf diesem Computer gespeichert; wenn Sie einen Raum mit demselben Namen bereitstellen, sind sie wieder da.</translation>
    </message>
    <message>
        <source>Everyone in it is told that you closed it.</source>
        <translation>Alle darin erfahren, dass Sie ihn geschlossen haben.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message numerus="yes">
        <source>%n other person(s) in it right now.</source>
        <translation>
            <numerusform>Gerade ist %n andere Person darin.</numerusform>
            <numerusform>Gerade sind %n andere Personen darin.</numerusform>
        </translation>
    </message>
    <message>
        <source>Hand it over to…</source>
        <translation>Übergeben an…</translation>
    </message>
    <message>
        <source>%1&apos;s computer</source>
        <translation>Computer von %1</translation>
    </message>
    <message>
        <source>Their Inkroom serves the room from then on: everyone follows it there by themselves, with the board, the chat and their roles. This computer can then close.</source>
        <translation>Deren Inkroom stellt den Raum ab dann bereit: Alle folgen ihm von selbst dorthin, mit Tafel, Chat und ihren Rollen. Dieser Computer kann danach schließen.</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>%1 — Inkroom</source>
        <translation>%1 — Inkroom</translation>
    </message>
    <message>
        <source>Inkroom</source>
        <translation>Inkroom</translation>
    </message>
</context>
<context>
    <name>MovedBanner</name>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>NetworkServerCard</name>
    <message>
        <source>Needs a join token: ask whoever runs it for its link.</source>
        <translation>Braucht ein Beitrittstoken: Fragen Sie die Person, die ihn betreibt, nach seinem Link.</translation>
    </message>
    <message>
        <source>Its rooms cannot be listed: %1</source>
        <translation>Seine Räume können nicht aufgelistet werden: %1</translation>
    </message>
    <message>
        <source>Asking for its rooms…</source>
        <translation>Seine Räume werden abgefragt …</translation>
    </message>
    <message>
        <source>needs a password</source>
        <translation>braucht ein Passwort</translation>
    </message>
    <message>
        <source>Join %1 on %2</source>
        <translation>%1 auf %2 beitreten</translation>
    </message>
    <message>
        <source>No open rooms yet. Start one here:</source>
        <translation>Noch keine offenen Räume. Eröffnen Sie hier einen:</translation>
    </message>
    <message>
        <source>Room name</source>
        <translation>Raumname</translation>
    </message>
    <message>
        <source>Name of a new room on %1</source>
        <translation>Name eines neuen Raums auf %1</translation>
    </message>
    <message>
        <source>Join</source>
        <translation>Beitreten</translation>
    </message>
    <message>
        <source>“%1” needs a password:</source>
        <translation>„%1“ braucht ein Passwort:</translation>
    </message>
    <message>
        <source>Password of %1</source>
        <translation>Passwort von %1</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message numerus="yes">
        <source>%n person(s)</source>
        <translation>
            <numerusform>%n Person</numerusform>
            <numerusform>%n Personen</numerusform>
        </translation>
    </message>
    <message>
        <source>Server %1</source>
        <translation>Server %1</translation>
    </message>
    <message>
        <source>Start the room on %1</source>
        <translation>Den Raum auf %1 eröffnen</translation>
    </message>
    <message>
        <source>Join %1 with this password</source>
        <translation>%1 mit diesem Passwort beitreten</translation>
    </message>
</context>
<context>
    <name>NoticeBar</name>
    <message>
        <source>%1 was refused: %2</source>
        <translation>%1 wurde abgelehnt: %2</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Dismiss: %1</source>
        <translation>Schließen: %1</translation>
    </message>
    <message>
        <source>Dismiss all</source>
        <translation>Alle schließen</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) were refused in all.</source>
        <translation>
            <numerusform>Insgesamt wurde %n Änderung abgelehnt.</numerusform>
            <numerusform>Insgesamt wurden %n Änderungen abgelehnt.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PeoplePanel</name>
    <message>
        <source>Read-only for guests</source>
        <translation>Nur Lesen für Gäste</translation>
    </message>
    <message>
        <source>Newcomers and everybody without a role of their own can only look, chat and point</source>
        <translation>Neue und alle ohne eigene Rolle können nur zusehen, chatten und zeigen</translation>
    </message>
    <message>
        <source>Lock the board</source>
        <translation>Tafel sperren</translation>
    </message>
    <message>
        <source>Only owners can change the board until it is unlocked</source>
        <translation>Bis zur Entsperrung können nur Eigentümer die Tafel ändern</translation>
    </message>
    <message>
        <source>Let everyone go</source>
        <translation>Alle freigeben</translation>
    </message>
    <message>
        <source>Bring everyone to me</source>
        <translation>Alle zu mir holen</translation>
    </message>
    <message>
        <source>Everyone stops following you</source>
        <translation>Niemand folgt Ihnen mehr</translation>
    </message>
    <message>
        <source>Everyone follows your view (each of them can stop)</source>
        <translation>Alle folgen Ihrer Ansicht (jede Person kann aufhören)</translation>
    </message>
    <message>
        <source>%1 (you)</source>
        <translation>%1 (Sie)</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Eigentümer</translation>
    </message>
    <message>
        <source>Viewer</source>
        <translation>Zuschauer</translation>
    </message>
    <message>
        <source>typing…</source>
        <translation>schreibt …</translation>
    </message>
    <message>
        <source>online</source>
        <translation>online</translation>
    </message>
    <message>
        <source>away</source>
        <translation>abwesend</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>offline</translation>
    </message>
    <message>
        <source>Actions for %1</source>
        <translation>Aktionen für %1</translation>
    </message>
    <message>
        <source>Stop following %1</source>
        <translation>%1 nicht mehr folgen</translation>
    </message>
    <message>
        <source>Follow %1</source>
        <translation>%1 folgen</translation>
    </message>
    <message>
        <source>Message privately</source>
        <translation>Private Nachricht</translation>
    </message>
    <message>
        <source>Make owner</source>
        <translation>Zum Eigentümer machen</translation>
    </message>
    <message>
        <source>Make editor</source>
        <translation>Zum Bearbeiter machen</translation>
    </message>
    <message>
        <source>Make viewer</source>
        <translation>Zum Zuschauer machen</translation>
    </message>
    <message>
        <source>Undo their last 10 changes</source>
        <translation>Die letzten 10 Änderungen dieser Person rückgängig machen</translation>
    </message>
    <message>
        <source>Remove from the room</source>
        <translation>Aus dem Raum entfernen</translation>
    </message>
    <message>
        <source>Ban from the room</source>
        <translation>Aus dem Raum verbannen</translation>
    </message>
    <message>
        <source>Hand the room over to %1</source>
        <translation>Den Raum an %1 übergeben</translation>
    </message>
    <message>
        <source>not known offline</source>
        <translation>offline unbekannt</translation>
    </message>
    <message>
        <source>People in the room</source>
        <translation>Personen im Raum</translation>
    </message>
</context>
<context>
    <name>PropertiesPanel</name>
    <message>
        <source>Style of the selection</source>
        <translation>Stil der Auswahl</translation>
    </message>
    <message>
        <source>Style of the tool</source>
        <translation>Stil des Werkzeugs</translation>
    </message>
    <message>
        <source>Mixed</source>
        <translation>Gemischt</translation>
    </message>
    <message>
        <source>Fill colour</source>
        <translation>Füllfarbe</translation>
    </message>
    <message>
        <source>Stroke colour</source>
        <translation>Strichfarbe</translation>
    </message>
    <message>
        <source>Stroke</source>
        <translation>Strich</translation>
    </message>
    <message>
        <source>Another colour…</source>
        <translation>Andere Farbe …</translation>
    </message>
    <message>
        <source>Fill</source>
        <translation>Füllung</translation>
    </message>
    <message>
        <source>No fill</source>
        <translation>Keine Füllung</translation>
    </message>
    <message>
        <source>Another fill colour…</source>
        <translation>Andere Füllfarbe …</translation>
    </message>
    <message>
        <source>Stroke width</source>
        <translation>Strichstärke</translation>
    </message>
    <message>
        <source>Line style</source>
        <translation>Linienart</translation>
    </message>
    <message>
        <source>Solid</source>
        <translation>Durchgezogen</translation>
    </message>
    <message>
        <source>Dashed</source>
        <translation>Gestrichelt</translation>
    </message>
    <message>
        <source>Dotted</source>
        <translation>Gepunktet</translation>
    </message>
    <message>
        <source>Arrow heads</source>
        <translation>Pfeilspitzen</translation>
    </message>
    <message>
        <source>No arrow heads</source>
        <translation>Keine Pfeilspitzen</translation>
    </message>
    <message>
        <source>Arrow head at the end</source>
        <translation>Pfeilspitze am Ende</translation>
    </message>
    <message>
        <source>Arrow head at the start</source>
        <translation>Pfeilspitze am Anfang</translation>
    </message>
    <message>
        <source>Arrow heads at both ends</source>
        <translation>Pfeilspitzen an beiden Enden</translation>
    </message>
    <message>
        <source>Font size</source>
        <translation>Schriftgröße</translation>
    </message>
    <message>
        <source>Opacity</source>
        <translation>Deckkraft</translation>
    </message>
    <message>
        <source>%1%</source>
        <translation>%1 %</translation>
    </message>
</context>
<context>
    <name>RecentRoomCard</name>
    <message>
        <source>Open %1</source>
        <translation>%1 öffnen</translation>
    </message>
    <message>
        <source>on this computer</source>
        <translation>auf diesem Computer</translation>
    </message>
    <message>
        <source>Host “%1” again: its board and chat are kept on this computer</source>
        <translation>„%1“ wieder bereitstellen: Tafel und Chat sind auf diesem Computer gespeichert</translation>
    </message>
    <message>
        <source>Join “%1” again</source>
        <translation>„%1“ wieder beitreten</translation>
    </message>
    <message>
        <source>On this computer</source>
        <translation>Auf diesem Computer</translation>
    </message>
    <message>
        <source>Forget this room</source>
        <translation>Diesen Raum vergessen</translation>
    </message>
    <message>
        <source>Forget %1</source>
        <translation>%1 vergessen</translation>
    </message>
</context>
<context>
    <name>RoomPage</name>
    <message>
        <source>‹ Leave</source>
        <translation>‹ Verlassen</translation>
    </message>
    <message>
        <source>Leave the room (unsent changes are kept and sent next time)</source>
        <translation>Den Raum verlassen (ungesendete Änderungen bleiben erhalten und werden beim nächsten Mal gesendet)</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>offline</translation>
    </message>
    <message>
        <source>Code %1</source>
        <translation>Code %1</translation>
    </message>
    <message>
        <source>Read this code aloud: people on this network type it on their start page instead of the link</source>
        <translation>Lesen Sie diesen Code vor: Personen in diesem Netzwerk tippen ihn statt des Links auf ihrer Startseite ein</translation>
    </message>
    <message>
        <source>Join code %1</source>
        <translation>Beitrittscode %1</translation>
    </message>
    <message>
        <source>Copy link</source>
        <translation>Link kopieren</translation>
    </message>
    <message>
        <source>People on this network join with this link</source>
        <translation>Personen in diesem Netzwerk treten mit diesem Link bei</translation>
    </message>
    <message>
        <source>Hide chat</source>
        <translation>Chat ausblenden</translation>
    </message>
    <message>
        <source>Chat (%1)</source>
        <translation>Chat (%1)</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>Chat</translation>
    </message>
    <message numerus="yes">
        <source>Chat, %n unread</source>
        <translation>
            <numerusform>Chat, %n ungelesen</numerusform>
            <numerusform>Chat, %n ungelesen</numerusform>
        </translation>
    </message>
    <message>
        <source>The board is locked: only owners can change it. Unlock it in People.</source>
        <translation>Die Tafel ist gesperrt: Nur Eigentümer können sie ändern. Entsperren Sie sie unter „Personen“.</translation>
    </message>
    <message>
        <source>People (%1)</source>
        <translation>Personen (%1)</translation>
    </message>
    <message>
        <source>Clear the board?</source>
        <translation>Die Tafel leeren?</translation>
    </message>
    <message>
        <source>This removes everything on the board, for everyone in the room. You can undo it.</source>
        <translation>Das entfernt alles von der Tafel, für alle im Raum. Sie können es rückgängig machen.</translation>
    </message>
    <message>
        <source>Add an image to the board</source>
        <translation>Ein Bild zur Tafel hinzufügen</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.webp)</source>
        <translation>Bilder (*.png *.jpg *.jpeg *.webp)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Alle Dateien (*)</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) not yet saved by the server</source>
        <translation>
            <numerusform>%n Änderung noch nicht vom Server gespeichert</numerusform>
            <numerusform>%n Änderungen noch nicht vom Server gespeichert</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Copied %n item(s)</source>
        <translation>
            <numerusform>%n Element kopiert</numerusform>
            <numerusform>%n Elemente kopiert</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n online</source>
        <translation>
            <numerusform>%n online</numerusform>
            <numerusform>%n online</numerusform>
        </translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Kopiert</translation>
    </message>
    <message>
        <source>Invite…</source>
        <translation>Einladen …</translation>
    </message>
    <message>
        <source>The link, the join code and the server&apos;s fingerprint, to pass on (Ctrl+I)</source>
        <translation>Der Link, der Beitrittscode und der Fingerabdruck des Servers zum Weitergeben (Strg+I)</translation>
    </message>
    <message>
        <source>People</source>
        <translation>Leute</translation>
    </message>
    <message>
        <source>Room %1</source>
        <translation>Raum %1</translation>
    </message>
    <message>
        <source>Board of %1</source>
        <translation>Tafel von %1</translation>
    </message>
    <message>
        <source>The shared whiteboard. Delete removes the selected items, Escape lets go of them.</source>
        <translation>Die gemeinsame Tafel. Entf löscht die ausgewählten Elemente, Escape hebt die Auswahl auf.</translation>
    </message>
</context>
<context>
    <name>ShortcutSheet</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <source>Tools</source>
        <translation>Werkzeuge</translation>
    </message>
    <message>
        <source>Space + drag</source>
        <translation>Leertaste + Ziehen</translation>
    </message>
    <message>
        <source>Move the view</source>
        <translation>Ansicht verschieben</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Bearbeiten</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Wiederherstellen</translation>
    </message>
    <message>
        <source>Cut</source>
        <translation>Ausschneiden</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>Einfügen</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>Duplizieren</translation>
    </message>
    <message>
        <source>Delete the selection</source>
        <translation>Auswahl löschen</translation>
    </message>
    <message>
        <source>Select all</source>
        <translation>Alles auswählen</translation>
    </message>
    <message>
        <source>Bring to front</source>
        <translation>Nach vorne bringen</translation>
    </message>
    <message>
        <source>Send to back</source>
        <translation>Nach hinten stellen</translation>
    </message>
    <message>
        <source>View</source>
        <translation>Ansicht</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>Vergrößern</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>Verkleinern</translation>
    </message>
    <message>
        <source>Actual size</source>
        <translation>Originalgröße</translation>
    </message>
    <message>
        <source>Fit the board</source>
        <translation>Ganze Tafel zeigen</translation>
    </message>
    <message>
        <source>Show or hide the grid</source>
        <translation>Raster zeigen oder verbergen</translation>
    </message>
    <message>
        <source>Esc</source>
        <translation>Esc</translation>
    </message>
    <message>
        <source>Stop following</source>
        <translation>Nicht mehr folgen</translation>
    </message>
    <message>
        <source>Room and board</source>
        <translation>Raum und Tafel</translation>
    </message>
    <message>
        <source>Invite people</source>
        <translation>Leute einladen</translation>
    </message>
    <message>
        <source>Add an image</source>
        <translation>Ein Bild hinzufügen</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exportieren</translation>
    </message>
    <message>
        <source>Copy the board as an image</source>
        <translation>Die Tafel als Bild kopieren</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <source>Leave the room</source>
        <translation>Raum verlassen</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <source>This sheet</source>
        <translation>Diese Übersicht</translation>
    </message>
    <message>
        <source>Del</source>
        <translation>Entf</translation>
    </message>
    <message>
        <source>Arrow keys</source>
        <translation>Pfeiltasten</translation>
    </message>
    <message>
        <source>Nudge the selection (Shift: further)</source>
        <translation>Auswahl ein Stück verschieben (Umschalt: weiter)</translation>
    </message>
</context>
<context>
    <name>StartPage</name>
    <message>
        <source>Inkroom</source>
        <translation>Inkroom</translation>
    </message>
    <message>
        <source>Draw and chat together, live, on your local network.</source>
        <translation>Gemeinsam zeichnen und chatten, live, im lokalen Netzwerk.</translation>
    </message>
    <message>
        <source>Still hosting %1</source>
        <translation>%1 wird weiter bereitgestellt</translation>
    </message>
    <message>
        <source>Others can still join: code %1 · %2</source>
        <translation>Andere können weiter beitreten: Code %1 · %2</translation>
    </message>
    <message>
        <source>Open the room</source>
        <translation>Den Raum öffnen</translation>
    </message>
    <message>
        <source>Stop hosting</source>
        <translation>Bereitstellung beenden</translation>
    </message>
    <message>
        <source>Close the room for everyone in it: they are told that you closed it</source>
        <translation>Den Raum für alle darin schließen: Sie erfahren, dass Sie ihn geschlossen haben</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Your name, as others see it</source>
        <translation>Ihr Name, wie andere ihn sehen</translation>
    </message>
    <message>
        <source>On this network</source>
        <translation>In diesem Netzwerk</translation>
    </message>
    <message>
        <source>Join a room</source>
        <translation>Einem Raum beitreten</translation>
    </message>
    <message>
        <source>Link, room code or server address</source>
        <translation>Link, Raumcode oder Serveradresse</translation>
    </message>
    <message>
        <source>Room name</source>
        <translation>Raumname</translation>
    </message>
    <message>
        <source>Password, if any</source>
        <translation>Passwort, falls vorhanden</translation>
    </message>
    <message>
        <source>Room password</source>
        <translation>Raumpasswort</translation>
    </message>
    <message>
        <source>Join</source>
        <translation>Beitreten</translation>
    </message>
    <message>
        <source>Recent rooms</source>
        <translation>Zuletzt besuchte Räume</translation>
    </message>
    <message>
        <source>Name of the room to host</source>
        <translation>Name des bereitzustellenden Raums</translation>
    </message>
    <message>
        <source>Password (optional)</source>
        <translation>Passwort (optional)</translation>
    </message>
    <message>
        <source>Password for the hosted room</source>
        <translation>Passwort für den bereitgestellten Raum</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Wird gestartet …</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Bereitstellen</translation>
    </message>
    <message>
        <source>Version %1</source>
        <translation>Version %1</translation>
    </message>
    <message>
        <source>Inkroom start page</source>
        <translation>Inkroom-Startseite</translation>
    </message>
    <message>
        <source>You: %1, %2. Change your name or colour</source>
        <translation>Sie: %1, %2. Namen oder Farbe ändern</translation>
    </message>
    <message>
        <source>How others see you: change your name or colour</source>
        <translation>Wie andere Sie sehen: Namen oder Farbe ändern</translation>
    </message>
    <message>
        <source>How others see you</source>
        <translation>Wie andere Sie sehen</translation>
    </message>
    <message>
        <source>Your name and colour mark your pointer, your drawing and your messages. Inkroom remembers them.</source>
        <translation>Ihr Name und Ihre Farbe kennzeichnen Ihren Zeiger, Ihre Zeichnungen und Ihre Nachrichten. Inkroom merkt sie sich.</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>Ihr Name</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>Farbe</translation>
    </message>
    <message>
        <source>Your colour</source>
        <translation>Ihre Farbe</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>Host a room</source>
        <translation>Einen Raum bereitstellen</translation>
    </message>
    <message>
        <source>Inkroom runs the room on this computer. People on the same network join with its code or link.</source>
        <translation>Inkroom betreibt den Raum auf diesem Computer. Andere im selben Netzwerk treten mit seinem Code oder Link bei.</translation>
    </message>
    <message>
        <source>Password for the hosted room, optional</source>
        <translation>Passwort für den bereitgestellten Raum, optional</translation>
    </message>
    <message>
        <source>Announce it on this network, so people nearby see it</source>
        <translation>In diesem Netzwerk ankündigen, damit andere in der Nähe ihn sehen</translation>
    </message>
    <message>
        <source>Host the room</source>
        <translation>Den Raum bereitstellen</translation>
    </message>
    <message>
        <source>Type the code the host reads out, or paste the room&apos;s link.</source>
        <translation>Geben Sie den Code ein, den der Gastgeber vorliest, oder fügen Sie den Link des Raums ein.</translation>
    </message>
    <message>
        <source>K7F-Q2M or inkroom://192.168.1.20:7420/design</source>
        <translation>K7F-Q2M oder inkroom://192.168.1.20:7420/design</translation>
    </message>
    <message>
        <source>Room (with an address)</source>
        <translation>Raum (bei einer Adresse)</translation>
    </message>
    <message>
        <source>Needed only with a server address, not with a link or a code</source>
        <translation>Nur bei einer Serveradresse nötig, nicht bei einem Link oder Code</translation>
    </message>
    <message>
        <source>Password of the room, if it has one</source>
        <translation>Passwort des Raums, falls er eines hat</translation>
    </message>
    <message>
        <source>Join the room</source>
        <translation>Dem Raum beitreten</translation>
    </message>
</context>
<context>
    <name>SyncHealthPanel</name>
    <message>
        <source>Connection details</source>
        <translation>Verbindungsdetails</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>Catching up</source>
        <translation>Holt auf</translation>
    </message>
    <message>
        <source>In sync</source>
        <translation>Synchron</translation>
    </message>
    <message>
        <source>Round trip</source>
        <translation>Antwortzeit</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>Last change applied</source>
        <translation>Zuletzt übernommene Änderung</translation>
    </message>
    <message>
        <source>%1 of the room&apos;s %2</source>
        <translation>%1 von %2 des Raums</translation>
    </message>
    <message>
        <source>Changes waiting</source>
        <translation>Wartende Änderungen</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keins</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s), the oldest for %1 s</source>
        <translation>
            <numerusform>%n Änderung, seit %1 s</numerusform>
            <numerusform>%n Änderungen, die älteste seit %1 s</numerusform>
        </translation>
    </message>
    <message>
        <source>Unsent changes kept</source>
        <translation>Ungesendete Änderungen liegen</translation>
    </message>
    <message>
        <source>on disk (they survive a crash)</source>
        <translation>auf der Festplatte (sie überstehen einen Absturz)</translation>
    </message>
    <message>
        <source>in memory only: %1</source>
        <translation>nur im Arbeitsspeicher: %1</translation>
    </message>
    <message>
        <source>in memory only</source>
        <translation>nur im Arbeitsspeicher</translation>
    </message>
    <message>
        <source>Encryption</source>
        <translation>Verschlüsselung</translation>
    </message>
    <message>
        <source>not encrypted</source>
        <translation>nicht verschlüsselt</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>nicht verbunden</translation>
    </message>
    <message>
        <source>Server fingerprint</source>
        <translation>Fingerabdruck des Servers</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Kopiert</translation>
    </message>
    <message>
        <source>Copy all</source>
        <translation>Alles kopieren</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>%1 (the room is also at %2)</source>
        <translation>%1 (der Raum ist auch unter %2 erreichbar)</translation>
    </message>
</context>
<context>
    <name>TextEditor</name>
    <message>
        <source>Type here</source>
        <translation>Hier tippen</translation>
    </message>
    <message>
        <source>Text on the board</source>
        <translation>Text auf der Tafel</translation>
    </message>
</context>
<context>
    <name>ToolIconButton</name>
    <message>
        <source>Keys: %1</source>
        <translation>Tasten: %1</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
</context>
<context>
    <name>ZoomControls</name>
    <message>
        <source>Zoom out</source>
        <translation>Verkleinern</translation>
    </message>
    <message>
        <source>%1%</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>Reset zoom</source>
        <translation>Zoom zurücksetzen</translation>
    </message>
    <message>
        <source>Back to 100% (Ctrl+0)</source>
        <translation>Zurück auf 100 % (Strg+0)</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>Vergrößern</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>Einpassen</translation>
    </message>
    <message>
        <source>Show everything on the board (Shift+1)</source>
        <translation>Alles auf der Tafel zeigen (Umschalt+1)</translation>
    </message>
</context>
<context>
    <name>inkroom::client</name>
    <message>
        <source>The server ended the connection.</source>
        <translation>Der Server hat die Verbindung beendet.</translation>
    </message>
    <message>
        <source>The server is shutting down or restarting.</source>
        <translation>Der Server wird heruntergefahren oder neu gestartet.</translation>
    </message>
    <message>
        <source>The connection was garbled.</source>
        <translation>Die Verbindung war gestört.</translation>
    </message>
    <message>
        <source>Too many messages too fast; the server slowed this client down.</source>
        <translation>Zu viele Nachrichten zu schnell; der Server hat diesen Client gebremst.</translation>
    </message>
    <message>
        <source>A message from this client was larger than the server allows.</source>
        <translation>Eine Nachricht dieses Clients war größer, als der Server erlaubt.</translation>
    </message>
    <message>
        <source>The server is full.</source>
        <translation>Der Server ist voll.</translation>
    </message>
    <message>
        <source>The server waited too long for this client to join.</source>
        <translation>Der Server hat zu lange auf den Beitritt dieses Clients gewartet.</translation>
    </message>
    <message>
        <source>This client fell too far behind the room.</source>
        <translation>Dieser Client ist zu weit hinter dem Raum zurückgefallen.</translation>
    </message>
    <message>
        <source>The server heard nothing from this client for too long.</source>
        <translation>Der Server hat zu lange nichts von diesem Client gehört.</translation>
    </message>
    <message>
        <source>The server could not open the room (a problem with its storage).</source>
        <translation>Der Server konnte den Raum nicht öffnen (ein Problem mit seinem Speicher).</translation>
    </message>
    <message>
        <source>The server is busy checking other passwords.</source>
        <translation>Der Server ist mit dem Prüfen anderer Passwörter beschäftigt.</translation>
    </message>
    <message>
        <source>The connection was lost.</source>
        <translation>Die Verbindung wurde unterbrochen.</translation>
    </message>
    <message>
        <source>The server address, room name or display name is not valid.</source>
        <translation>Die Serveradresse, der Raumname oder der Anzeigename ist ungültig.</translation>
    </message>
    <message>
        <source>The room password is wrong. Enter the right password to join.</source>
        <translation>Das Raumpasswort ist falsch. Geben Sie das richtige Passwort ein, um beizutreten.</translation>
    </message>
    <message>
        <source>This version of Inkroom cannot talk to the server (different protocol versions). Update Inkroom on this computer or on the server.</source>
        <translation>Diese Inkroom-Version kann nicht mit dem Server sprechen (unterschiedliche Protokollversionen). Aktualisieren Sie Inkroom auf diesem Computer oder auf dem Server.</translation>
    </message>
    <message>
        <source>The room is full. Try again when somebody has left.</source>
        <translation>Der Raum ist voll. Versuchen Sie es erneut, wenn jemand gegangen ist.</translation>
    </message>
    <message>
        <source>This identity joined the room from another window or computer, so this one was disconnected.</source>
        <translation>Diese Identität ist dem Raum aus einem anderen Fenster oder von einem anderen Computer beigetreten, daher wurde diese Verbindung getrennt.</translation>
    </message>
    <message>
        <source>The server needs a valid join token. Ask whoever runs the server for the link with the token.</source>
        <translation>Der Server braucht ein gültiges Beitrittstoken. Fragen Sie die Person, die den Server betreibt, nach dem Link mit dem Token.</translation>
    </message>
    <message>
        <source>Too many wrong passwords from this computer. Wait a few minutes, then try again.</source>
        <translation>Zu viele falsche Passwörter von diesem Computer. Warten Sie ein paar Minuten und versuchen Sie es dann erneut.</translation>
    </message>
    <message>
        <source>The server did not accept this client&apos;s request to join.</source>
        <translation>Der Server hat die Beitrittsanfrage dieses Clients nicht angenommen.</translation>
    </message>
    <message>
        <source>The server&apos;s certificate changed since the last connection: it may not be the same server. Check with whoever runs it before connecting again.</source>
        <translation>Das Zertifikat des Servers hat sich seit der letzten Verbindung geändert: Es ist vielleicht nicht derselbe Server. Klären Sie das mit der Person, die ihn betreibt, bevor Sie sich erneut verbinden.</translation>
    </message>
    <message>
        <source>You did not trust the server&apos;s certificate, so Inkroom did not connect.</source>
        <translation>Sie haben dem Zertifikat des Servers nicht vertraut, daher hat Inkroom keine Verbindung hergestellt.</translation>
    </message>
    <message>
        <source>The room knows this identity under another key: another copy of Inkroom owns it, or this computer lost its records of the room. Nothing was sent; your unsent changes are kept.</source>
        <translation>Der Raum kennt diese Identität unter einem anderen Schlüssel: Eine andere Inkroom-Kopie besitzt sie, oder dieser Computer hat seine Aufzeichnungen über den Raum verloren. Nichts wurde gesendet; Ihre ungesendeten Änderungen bleiben erhalten.</translation>
    </message>
    <message>
        <source>An owner of the room removed you from it. You can join again if they let you.</source>
        <translation>Ein Eigentümer des Raums hat Sie daraus entfernt. Sie können wieder beitreten, wenn man Sie lässt.</translation>
    </message>
    <message>
        <source>An owner of the room banned you from it: you cannot join it again.</source>
        <translation>Ein Eigentümer des Raums hat Sie verbannt: Sie können ihm nicht wieder beitreten.</translation>
    </message>
    <message>
        <source>The host closed the room.</source>
        <translation>Der Gastgeber hat den Raum geschlossen.</translation>
    </message>
    <message>
        <source>Inkroom stopped trying to reach the server.</source>
        <translation>Inkroom versucht nicht mehr, den Server zu erreichen.</translation>
    </message>
    <message>
        <source>A message from this client was not valid text.</source>
        <translation>Eine Nachricht dieses Programms war kein gültiger Text.</translation>
    </message>
    <message>
        <source>The server has no room in its memory for this board just now.</source>
        <translation>Der Server hat gerade keinen Platz im Speicher für diese Tafel.</translation>
    </message>
    <message>
        <source>The server lost its database for a moment; what it did not confirm is sent again.</source>
        <translation>Der Server hat kurz seine Datenbank verloren; was er nicht bestätigt hat, wird erneut gesendet.</translation>
    </message>
    <message>
        <source>The room is on its way to another computer.</source>
        <translation>Der Raum zieht gerade auf einen anderen Computer um.</translation>
    </message>
</context>
<context>
    <name>inkroom::client::ChatNotices</name>
    <message>
        <source>%1 joined</source>
        <translation>%1 ist beigetreten</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>%1 ist gegangen</translation>
    </message>
    <message>
        <source>You cleared the board</source>
        <translation>Sie haben die Tafel geleert</translation>
    </message>
    <message>
        <source>%1 cleared the board</source>
        <translation>%1 hat die Tafel geleert</translation>
    </message>
</context>
<context>
    <name>inkroom::client::Connection</name>
    <message>
        <source>Inkroom stopped trying after %1 attempts to reach %2. The last one failed: %3 Check the address, that the server is running and that no firewall blocks its port, then try again.</source>
        <translation>Inkroom hat nach %1 Versuchen aufgegeben, %2 zu erreichen. Der letzte scheiterte: %3 Prüfen Sie die Adresse, ob der Server läuft und ob keine Firewall seinen Port sperrt, und versuchen Sie es dann erneut.</translation>
    </message>
    <message>
        <source>The server sent a message larger than this client accepts (%1 MiB); it does not follow the Inkroom protocol.</source>
        <translation>Der Server hat eine Nachricht gesendet, die größer ist, als dieser Client annimmt (%1 MiB); er hält sich nicht an das Inkroom-Protokoll.</translation>
    </message>
    <message>
        <source>Could not reach the server: %1</source>
        <translation>Der Server war nicht erreichbar: %1</translation>
    </message>
    <message>
        <source>The connection was lost.</source>
        <translation>Die Verbindung wurde unterbrochen.</translation>
    </message>
    <message>
        <source>The server may not speak TLS: a server started with --insecure is reached with ws:// (its links end in ?insecure=1).</source>
        <translation>Der Server spricht vielleicht kein TLS: Ein mit --insecure gestarteter Server wird mit ws:// erreicht (seine Links enden auf ?insecure=1).</translation>
    </message>
    <message>
        <source>The server may speak TLS: reach it with wss:// (links without ?insecure=1).</source>
        <translation>Der Server spricht vielleicht TLS: Erreichen Sie ihn mit wss:// (Links ohne ?insecure=1).</translation>
    </message>
    <message>
        <source>No answer from the server for %1 s.</source>
        <translation>Seit %1 s keine Antwort vom Server.</translation>
    </message>
    <message>
        <source>The server did not answer within %1 s.</source>
        <translation>Der Server hat nicht innerhalb von %1 s geantwortet.</translation>
    </message>
    <message>
        <source>The server&apos;s certificate could not be read.</source>
        <translation>Das Zertifikat des Servers konnte nicht gelesen werden.</translation>
    </message>
    <message>
        <source>First connection to %1. Its certificate&apos;s SHA-256 fingerprint is %2. Trust it only if whoever runs the server sees the same fingerprint (inkroom-server prints it when it starts; a hosting Inkroom shows it beside the room link).</source>
        <translation>Erste Verbindung zu %1. Der SHA-256-Fingerabdruck seines Zertifikats ist %2. Vertrauen Sie ihm nur, wenn die Person, die den Server betreibt, denselben Fingerabdruck sieht (inkroom-server gibt ihn beim Start aus; ein bereitstellendes Inkroom zeigt ihn neben dem Raumlink).</translation>
    </message>
    <message>
        <source>the one trusted before</source>
        <translation>dem zuvor vertrauten</translation>
    </message>
    <message>
        <source>the one this connection expects</source>
        <translation>dem, das diese Verbindung erwartet</translation>
    </message>
    <message>
        <source>The server at %1 presented a different certificate from %2, so nothing was sent to it. Trusted: %3. Presented now: %4. Someone on the network may be pretending to be the server, or the server was reinstalled or given a new certificate. Ask whoever runs it which fingerprint it has now (inkroom-server prints it when it starts; a hosting Inkroom shows it beside the room link). Only if it is the one presented now, forget the old certificate and connect again.</source>
        <translation>Der Server unter %1 hat ein anderes Zertifikat vorgelegt als %2, daher wurde nichts an ihn gesendet. Vertraut: %3. Jetzt vorgelegt: %4. Vielleicht gibt sich jemand im Netzwerk als der Server aus, oder der Server wurde neu installiert oder hat ein neues Zertifikat bekommen. Fragen Sie die Person, die ihn betreibt, welchen Fingerabdruck er jetzt hat (inkroom-server gibt ihn beim Start aus; ein bereitstellendes Inkroom zeigt ihn neben dem Raumlink). Nur wenn es der jetzt vorgelegte ist, vergessen Sie das alte Zertifikat und verbinden sich erneut.</translation>
    </message>
    <message>
        <source>The trusted certificate could not be saved; it is trusted in this session only: %1</source>
        <translation>Das vertraute Zertifikat konnte nicht gespeichert werden; es gilt nur in dieser Sitzung als vertraut: %1</translation>
    </message>
    <message>
        <source>The old certificate could not be forgotten: %1</source>
        <translation>Das alte Zertifikat konnte nicht vergessen werden: %1</translation>
    </message>
    <message>
        <source>%1 Trying %2.</source>
        <translation>%1 Versuche %2.</translation>
    </message>
</context>
<context>
    <name>inkroom::client::ImageTransfer</name>
    <message>
        <source>the picture&apos;s bytes are no longer on this computer</source>
        <translation>die Daten des Bildes sind nicht mehr auf diesem Computer</translation>
    </message>
    <message>
        <source>the picture the server sent is not the one the board names</source>
        <translation>das vom Server gesendete Bild ist nicht das, das die Tafel nennt</translation>
    </message>
    <message>
        <source>the picture is no longer on this computer</source>
        <translation>das Bild ist nicht mehr auf diesem Computer</translation>
    </message>
</context>
<context>
    <name>inkroom::client::NetworkServersModel</name>
    <message>
        <source>%1, port %2</source>
        <translation>%1, Port %2</translation>
    </message>
    <message>
        <source>Looking for servers on this network…</source>
        <translation>Suche nach Servern in diesem Netzwerk …</translation>
    </message>
    <message>
        <source>Inkroom was started with --no-discover, so it does not look at this network</source>
        <translation>Inkroom wurde mit --no-discover gestartet und sieht sich dieses Netzwerk daher nicht an</translation>
    </message>
    <message>
        <source>Inkroom was started with --no-discover: it does not look for rooms on this network. Join with a room&apos;s link or its server&apos;s address.</source>
        <translation>Inkroom wurde mit --no-discover gestartet: Es sucht nicht nach Räumen in diesem Netzwerk. Treten Sie mit dem Link eines Raums oder der Adresse seines Servers bei.</translation>
    </message>
    <message>
        <source>No Inkroom servers found on this network yet. Rooms hosted nearby appear here by themselves.</source>
        <translation>In diesem Netzwerk wurden noch keine Inkroom-Server gefunden. Räume in der Nähe erscheinen hier von selbst.</translation>
    </message>
</context>
<context>
    <name>inkroom::client::Outbox</name>
    <message>
        <source>Your changes are kept in memory only and will not survive a restart: %1</source>
        <translation>Ihre Änderungen werden nur im Arbeitsspeicher gehalten und überstehen keinen Neustart: %1</translation>
    </message>
    <message>
        <source>Changes cannot be saved on this computer (%1). They are kept in memory and sent while that is safe; saving is tried again every few seconds.</source>
        <translation>Änderungen können auf diesem Computer nicht gespeichert werden (%1). Sie werden im Arbeitsspeicher gehalten und gesendet, solange das sicher ist; das Speichern wird alle paar Sekunden erneut versucht.</translation>
    </message>
    <message>
        <source>The room holds changes under this identity (up to number %1) that this copy of Inkroom never made. Your unsent changes are kept and numbered again so that none is lost.</source>
        <translation>Der Raum enthält Änderungen unter dieser Identität (bis Nummer %1), die diese Inkroom-Kopie nie gemacht hat. Ihre ungesendeten Änderungen bleiben erhalten und werden neu nummeriert, damit keine verloren geht.</translation>
    </message>
    <message numerus="yes">
        <source>%n unsent change(s) in the journal could not be read and were dropped.</source>
        <translation>
            <numerusform>%n ungesendete Änderung im Journal konnte nicht gelesen werden und wurde verworfen.</numerusform>
            <numerusform>%n ungesendete Änderungen im Journal konnten nicht gelesen werden und wurden verworfen.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>inkroom::client::PeopleModel</name>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
</context>
<context>
    <name>inkroom::client::RefusalsModel</name>
    <message>
        <source>%1 was refused: %2</source>
        <translation>%1 wurde abgelehnt: %2</translation>
    </message>
    <message>
        <source>Removing %1</source>
        <translation>%1 entfernen</translation>
    </message>
    <message>
        <source>Moving %1</source>
        <translation>%1 verschieben</translation>
    </message>
    <message>
        <source>Clearing the board</source>
        <translation>Die Tafel leeren</translation>
    </message>
    <message>
        <source>The chat message “%1”</source>
        <translation>Die Chatnachricht „%1“</translation>
    </message>
    <message>
        <source>The direct message “%1”</source>
        <translation>Die Direktnachricht „%1“</translation>
    </message>
    <message>
        <source>Giving somebody the role %1</source>
        <translation>Jemandem die Rolle %1 geben</translation>
    </message>
    <message>
        <source>Locking the board</source>
        <translation>Die Tafel sperren</translation>
    </message>
    <message>
        <source>Unlocking the board</source>
        <translation>Die Tafel entsperren</translation>
    </message>
    <message>
        <source>Banning somebody from the room</source>
        <translation>Jemanden aus dem Raum verbannen</translation>
    </message>
    <message>
        <source>Removing somebody from the room</source>
        <translation>Jemanden aus dem Raum entfernen</translation>
    </message>
    <message>
        <source>Undoing somebody&apos;s last changes</source>
        <translation>Die letzten Änderungen einer Person rückgängig machen</translation>
    </message>
    <message>
        <source>the board holds as many items as the server allows; remove some first</source>
        <translation>auf der Tafel sind so viele Elemente, wie der Server erlaubt; entfernen Sie zuerst einige</translation>
    </message>
    <message>
        <source>it would have taken over an item id that belongs to somebody else</source>
        <translation>es hätte die Kennung eines Elements übernommen, das jemand anderem gehört</translation>
    </message>
    <message>
        <source>an item with the same id is already on the board</source>
        <translation>ein Element mit derselben Kennung ist schon auf der Tafel</translation>
    </message>
    <message>
        <source>it was sent before the room was joined</source>
        <translation>es wurde vor dem Beitritt zum Raum gesendet</translation>
    </message>
    <message>
        <source>the server does not accept it (%1)</source>
        <translation>der Server nimmt es nicht an (%1)</translation>
    </message>
    <message>
        <source>. The server said: %1</source>
        <translation>. Der Server sagte: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s)</source>
        <translation>
            <numerusform>%n Element</numerusform>
            <numerusform>%n Elemente</numerusform>
        </translation>
    </message>
    <message>
        <source>A new stroke</source>
        <translation>Ein neuer Strich</translation>
    </message>
    <message>
        <source>A new line</source>
        <translation>Eine neue Linie</translation>
    </message>
    <message>
        <source>A new arrow</source>
        <translation>Ein neuer Pfeil</translation>
    </message>
    <message>
        <source>A new box</source>
        <translation>Ein neues Rechteck</translation>
    </message>
    <message>
        <source>A new ellipse</source>
        <translation>Eine neue Ellipse</translation>
    </message>
    <message>
        <source>A new text</source>
        <translation>Ein neuer Text</translation>
    </message>
    <message>
        <source>A new picture</source>
        <translation>Ein neues Bild</translation>
    </message>
    <message>
        <source>A change to a stroke</source>
        <translation>Eine Änderung an einem Strich</translation>
    </message>
    <message>
        <source>A change to a line</source>
        <translation>Eine Änderung an einer Linie</translation>
    </message>
    <message>
        <source>A change to an arrow</source>
        <translation>Eine Änderung an einem Pfeil</translation>
    </message>
    <message>
        <source>A change to a box</source>
        <translation>Eine Änderung an einem Rechteck</translation>
    </message>
    <message>
        <source>A change to an ellipse</source>
        <translation>Eine Änderung an einer Ellipse</translation>
    </message>
    <message>
        <source>A change to a text</source>
        <translation>Eine Änderung an einem Text</translation>
    </message>
    <message>
        <source>A change to a picture</source>
        <translation>Eine Änderung an einem Bild</translation>
    </message>
    <message>
        <source>owner</source>
        <translation>Eigentümer</translation>
    </message>
    <message>
        <source>editor</source>
        <translation>Bearbeiter</translation>
    </message>
    <message>
        <source>viewer</source>
        <translation>Zuschauer</translation>
    </message>
    <message>
        <source>Giving newcomers the role %1</source>
        <translation>Neuen die Rolle %1 geben</translation>
    </message>
    <message>
        <source>Bringing forward or sending back %1</source>
        <translation>%1 nach vorne oder hinten zu stellen</translation>
    </message>
</context>
<context>
    <name>inkroom::client::ReplayModel</name>
    <message>
        <source>The board when you joined</source>
        <translation>Die Tafel bei Ihrem Beitritt</translation>
    </message>
    <message>
        <source>The empty board the room began with</source>
        <translation>Die leere Tafel, mit der der Raum begann</translation>
    </message>
    <message>
        <source>The board at change %1, the oldest the server keeps</source>
        <translation>Die Tafel bei Änderung %1, der ältesten, die der Server aufbewahrt</translation>
    </message>
    <message>
        <source>drew a stroke</source>
        <translation>zeichnete einen Strich</translation>
    </message>
    <message>
        <source>drew a line</source>
        <translation>zeichnete eine Linie</translation>
    </message>
    <message>
        <source>drew an arrow</source>
        <translation>zeichnete einen Pfeil</translation>
    </message>
    <message>
        <source>drew a box</source>
        <translation>zeichnete ein Rechteck</translation>
    </message>
    <message>
        <source>drew an ellipse</source>
        <translation>zeichnete eine Ellipse</translation>
    </message>
    <message>
        <source>wrote “%1”</source>
        <translation>schrieb „%1“</translation>
    </message>
    <message>
        <source>placed an image</source>
        <translation>fügte ein Bild ein</translation>
    </message>
    <message>
        <source>added an item</source>
        <translation>fügte ein Element hinzu</translation>
    </message>
    <message>
        <source>changed text to “%1”</source>
        <translation>änderte den Text in „%1“</translation>
    </message>
    <message>
        <source>changed an item</source>
        <translation>änderte ein Element</translation>
    </message>
    <message>
        <source>cleared the board</source>
        <translation>leerte die Tafel</translation>
    </message>
    <message>
        <source>said “%1”</source>
        <translation>sagte „%1“</translation>
    </message>
    <message>
        <source>changed someone&apos;s role</source>
        <translation>änderte die Rolle einer Person</translation>
    </message>
    <message>
        <source>changed the role of guests</source>
        <translation>änderte die Rolle der Gäste</translation>
    </message>
    <message>
        <source>locked the board</source>
        <translation>sperrte die Tafel</translation>
    </message>
    <message>
        <source>unlocked the board</source>
        <translation>entsperrte die Tafel</translation>
    </message>
    <message>
        <source>banned someone from the room</source>
        <translation>verbannte jemanden aus dem Raum</translation>
    </message>
    <message>
        <source>removed someone from the room</source>
        <translation>entfernte jemanden aus dem Raum</translation>
    </message>
    <message numerus="yes">
        <source>undid someone&apos;s last %n change(s)</source>
        <translation>
            <numerusform>machte die letzte Änderung einer Person rückgängig</numerusform>
            <numerusform>machte die letzten %n Änderungen einer Person rückgängig</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>erased %n item(s)</source>
        <translation>
            <numerusform>löschte ein Element</numerusform>
            <numerusform>löschte %n Elemente</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>moved %n item(s)</source>
        <translation>
            <numerusform>verschob ein Element</numerusform>
            <numerusform>verschob %n Elemente</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>restacked %n item(s)</source>
        <translation>
            <numerusform>hat %n Element umgestapelt</numerusform>
            <numerusform>hat %n Elemente umgestapelt</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>inkroom::client::RoomFeed</name>
    <message>
        <source>A change was committed out of sight of this client; reloading the board.</source>
        <translation>Eine Änderung wurde außerhalb der Sicht dieses Clients gespeichert; die Tafel wird neu geladen.</translation>
    </message>
</context>
<context>
    <name>inkroom::client::RoomListQuery</name>
    <message>
        <source>the server did not answer in time</source>
        <translation>der Server hat nicht rechtzeitig geantwortet</translation>
    </message>
    <message>
        <source>its certificate (%1) is not the one it announced (%2)</source>
        <translation>sein Zertifikat (%1) ist nicht das angekündigte (%2)</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keins</translation>
    </message>
    <message>
        <source>it needs its join token</source>
        <translation>er braucht sein Beitrittstoken</translation>
    </message>
    <message>
        <source>it closed the connection (%1) without answering</source>
        <translation>er hat die Verbindung (%1) ohne Antwort geschlossen</translation>
    </message>
    <message>
        <source>its answer did not decode: %1</source>
        <translation>seine Antwort war nicht lesbar: %1</translation>
    </message>
</context>
<context>
    <name>inkroom::client::RoomMoves</name>
    <message>
        <source>The room moved to this computer: it goes on from here.</source>
        <translation>Der Raum ist auf diesen Computer umgezogen: Er geht von hier aus weiter.</translation>
    </message>
    <message>
        <source>The room moved to %1&apos;s computer.</source>
        <translation>Der Raum ist auf den Computer von %1 umgezogen.</translation>
    </message>
    <message>
        <source>The host&apos;s computer is gone: the room moved to this computer and goes on from here.</source>
        <translation>Der Computer, der den Raum bereitgestellt hat, ist weg: Der Raum ist auf diesen Computer umgezogen und geht von hier aus weiter.</translation>
    </message>
    <message>
        <source>The host&apos;s computer is gone: the room moved to %1&apos;s computer.</source>
        <translation>Der Computer, der den Raum bereitgestellt hat, ist weg: Der Raum ist auf den Computer von %1 umgezogen.</translation>
    </message>
</context>
<context>
    <name>inkroom::client::Session</name>
    <message>
        <source>The server sent a message this client does not understand: %1</source>
        <translation>Der Server hat eine Nachricht gesendet, die dieser Client nicht versteht: %1</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Nicht verbunden</translation>
    </message>
    <message>
        <source>Connecting (attempt %1)…</source>
        <translation>Verbindung wird hergestellt (Versuch %1) …</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Verbindung wird hergestellt …</translation>
    </message>
    <message>
        <source>Joining the room…</source>
        <translation>Dem Raum wird beigetreten …</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>Reconnecting in %1 s (attempt %2)</source>
        <translation>Neue Verbindung in %1 s (Versuch %2)</translation>
    </message>
    <message>
        <source>Waiting for you to check the server&apos;s certificate</source>
        <translation>Wartet darauf, dass Sie das Zertifikat des Servers prüfen</translation>
    </message>
    <message>
        <source>Offline — %1. %2</source>
        <translation>Offline — %1. %2</translation>
    </message>
    <message>
        <source>The change is too large to send.</source>
        <translation>Die Änderung ist zu groß zum Senden.</translation>
    </message>
    <message>
        <source>Only the room&apos;s owners may clear the board.</source>
        <translation>Nur die Eigentümer des Raums dürfen die Tafel leeren.</translation>
    </message>
    <message>
        <source>This room needs a password. Enter it to join.</source>
        <translation>Dieser Raum braucht ein Passwort. Geben Sie es ein, um beizutreten.</translation>
    </message>
    <message>
        <source>View only: an owner locked the board. You can still chat and point.</source>
        <translation>Nur ansehen: Ein Eigentümer hat die Tafel gesperrt. Sie können weiter chatten und zeigen.</translation>
    </message>
    <message>
        <source>View only: an owner made you a viewer in this room. You can still chat and point.</source>
        <translation>Nur ansehen: Ein Eigentümer hat Sie in diesem Raum zum Zuschauer gemacht. Sie können weiter chatten und zeigen.</translation>
    </message>
    <message>
        <source>Only the room&apos;s owners may do this.</source>
        <translation>Nur die Eigentümer des Raums dürfen das.</translation>
    </message>
    <message>
        <source>Nothing of %1&apos;s was undone: they made no changes since the room&apos;s last snapshot, and older ones can no longer be undone.</source>
        <translation>Von %1 wurde nichts rückgängig gemacht: Seit dem letzten Schnappschuss des Raums gab es keine Änderungen dieser Person, und ältere können nicht mehr rückgängig gemacht werden.</translation>
    </message>
    <message>
        <source>Undid %1 of %2&apos;s last %3 changes; the older ones are before the room&apos;s last snapshot and can no longer be undone.</source>
        <translation>%1 der letzten %3 Änderungen von %2 rückgängig gemacht; die älteren liegen vor dem letzten Schnappschuss des Raums und können nicht mehr rückgängig gemacht werden.</translation>
    </message>
    <message>
        <source>The picture was refused: %1</source>
        <translation>Das Bild wurde abgelehnt: %1</translation>
    </message>
    <message>
        <source>A picture on the board cannot be shown: %1</source>
        <translation>Ein Bild auf der Tafel kann nicht angezeigt werden: %1</translation>
    </message>
    <message>
        <source>The picture is neither in the room nor on this computer any more, so it cannot be shown.</source>
        <translation>Das Bild ist weder im Raum noch auf diesem Computer mehr vorhanden und kann daher nicht angezeigt werden.</translation>
    </message>
    <message>
        <source>The picture could not be added to the board.</source>
        <translation>Das Bild konnte nicht zur Tafel hinzugefügt werden.</translation>
    </message>
    <message>
        <source>The picture could not be kept on this computer: %1</source>
        <translation>Das Bild konnte nicht auf diesem Computer behalten werden: %1</translation>
    </message>
    <message>
        <source>The picture cannot be added: %1</source>
        <translation>Das Bild kann nicht hinzugefügt werden: %1</translation>
    </message>
    <message>
        <source>Only pictures on this computer can be added (%1 is not a local file).</source>
        <translation>Nur Bilder auf diesem Computer können hinzugefügt werden (%1 ist keine lokale Datei).</translation>
    </message>
    <message>
        <source>There is no picture on the clipboard.</source>
        <translation>In der Zwischenablage ist kein Bild.</translation>
    </message>
    <message>
        <source>Only the room&apos;s owners can ask everybody to follow them.</source>
        <translation>Nur die Eigentümer des Raums können alle bitten, ihnen zu folgen.</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) waiting</source>
        <translation>
            <numerusform>%n Änderung wartet</numerusform>
            <numerusform>%n Änderungen warten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Online — sending %n change(s), about %1 s left</source>
        <translation>
            <numerusform>Online — %n Änderung wird gesendet, noch etwa %1 s</numerusform>
            <numerusform>Online — %n Änderungen werden gesendet, noch etwa %1 s</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Online — sending %n change(s)</source>
        <translation>
            <numerusform>Online — %n Änderung wird gesendet</numerusform>
            <numerusform>Online — %n Änderungen werden gesendet</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) of yours were not delivered; they are still shown here.</source>
        <translation>
            <numerusform>%n Ihrer Änderungen wurde nicht zugestellt; sie wird hier weiter angezeigt.</numerusform>
            <numerusform>%n Ihrer Änderungen wurden nicht zugestellt; sie werden hier weiter angezeigt.</numerusform>
        </translation>
    </message>
    <message>
        <source>Where the room moved could not be saved; a restart finds it by its old address only: %1</source>
        <translation>Wohin der Raum umgezogen ist, konnte nicht gespeichert werden; nach einem Neustart wird er nur unter seiner alten Adresse gefunden: %1</translation>
    </message>
    <message>
        <source>The certificate of the room&apos;s new address could not be saved: %1</source>
        <translation>Das Zertifikat der neuen Adresse des Raums konnte nicht gespeichert werden: %1</translation>
    </message>
</context>
<context>
    <name>inkroom::client::SyncHealth</name>
    <message>
        <source>Server: %1, room %2</source>
        <translation>Server: %1, Raum %2</translation>
    </message>
    <message>
        <source>State: %1</source>
        <translation>Zustand: %1</translation>
    </message>
    <message>
        <source>Round trip: %1 ms</source>
        <translation>Antwortzeit: %1 ms</translation>
    </message>
    <message>
        <source>Round trip: unknown</source>
        <translation>Antwortzeit: unbekannt</translation>
    </message>
    <message>
        <source>Last applied: %1 of the room&apos;s %2</source>
        <translation>Zuletzt übernommen: %1 von %2 des Raums</translation>
    </message>
    <message>
        <source>Changes waiting: %1 (oldest %2 s)</source>
        <translation>Wartende Änderungen: %1 (älteste %2 s)</translation>
    </message>
    <message>
        <source>Journal: on disk</source>
        <translation>Journal: auf der Festplatte</translation>
    </message>
    <message>
        <source>Journal: memory only %1</source>
        <translation>Journal: nur im Arbeitsspeicher %1</translation>
    </message>
    <message>
        <source>TLS: %1, fingerprint %2</source>
        <translation>TLS: %1, Fingerabdruck %2</translation>
    </message>
    <message>
        <source>TLS: not encrypted</source>
        <translation>TLS: nicht verschlüsselt</translation>
    </message>
    <message>
        <source>Other addresses of the room: %1</source>
        <translation>Weitere Adressen des Raums: %1</translation>
    </message>
</context>
<context>
    <name>inkroom::ui</name>
    <message>
        <source>“%1” — nobody is in it now</source>
        <translation>„%1“ — gerade ist niemand darin</translation>
    </message>
    <message>
        <source>That address has no server in it. Try something like 192.168.1.20:7420.</source>
        <translation>In dieser Adresse steht kein Server. Versuchen Sie etwas wie 192.168.1.20:7420.</translation>
    </message>
    <message>
        <source>The port must be between 1 and 65535.</source>
        <translation>Der Port muss zwischen 1 und 65535 liegen.</translation>
    </message>
    <message>
        <source>Enter the name of the room to join.</source>
        <translation>Geben Sie den Namen des Raums ein, dem Sie beitreten wollen.</translation>
    </message>
    <message>
        <source>A room name is 1 to 64 characters, without control characters.</source>
        <translation>Ein Raumname hat 1 bis 64 Zeichen, ohne Steuerzeichen.</translation>
    </message>
    <message>
        <source>That is more than one link pasted into one field. Paste just one.</source>
        <translation>Das sind mehrere Links in einem Feld. Fügen Sie nur einen ein.</translation>
    </message>
    <message>
        <source>There is a space inside the link; links have none (a space in a room name is written %20). Paste just the link.</source>
        <translation>Im Link steht ein Leerzeichen; Links haben keine (ein Leerzeichen im Raumnamen wird %20 geschrieben). Fügen Sie nur den Link ein.</translation>
    </message>
    <message>
        <source>The link ends in “%1”, which is not part of it. Remove it and try again.</source>
        <translation>Der Link endet auf „%1“, was nicht dazugehört. Entfernen Sie es und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>That is not an Inkroom link. Links look like inkroom://192.168.1.20:7420/room.</source>
        <translation>Das ist kein Inkroom-Link. Links sehen so aus: inkroom://192.168.1.20:7420/raum.</translation>
    </message>
    <message>
        <source>The link does not name a room.</source>
        <translation>Der Link nennt keinen Raum.</translation>
    </message>
    <message>
        <source>Enter the server&apos;s address, for example 192.168.1.20.</source>
        <translation>Geben Sie die Adresse des Servers ein, zum Beispiel 192.168.1.20.</translation>
    </message>
    <message>
        <source>Inkroom servers are reached with ws:// or wss:// addresses.</source>
        <translation>Inkroom-Server erreicht man mit ws://- oder wss://-Adressen.</translation>
    </message>
    <message numerus="yes">
        <source>“%1” for %n person(s)</source>
        <translation>
            <numerusform>„%1“ für %n Person</numerusform>
            <numerusform>„%1“ für %n Personen</numerusform>
        </translation>
    </message>
    <message>
        <source>The link&apos;s list of servers has an empty entry (two commas in a row, or one at an end).</source>
        <translation>Die Serverliste des Links hat einen leeren Eintrag (zwei Kommas hintereinander oder eines am Ende).</translation>
    </message>
    <message>
        <source>The list of servers has an empty entry (two commas in a row, or one at an end).</source>
        <translation>Die Serverliste hat einen leeren Eintrag (zwei Kommas hintereinander oder eines am Ende).</translation>
    </message>
    <message>
        <source>A room has at most %1 server addresses; this names %2.</source>
        <translation>Ein Raum hat höchstens %1 Serveradressen; hier sind es %2.</translation>
    </message>
    <message>
        <source>Of the servers listed, “%1” is not valid: %2</source>
        <translation>Von den angegebenen Servern ist „%1“ ungültig: %2</translation>
    </message>
    <message>
        <source>The servers of one room are all reached with wss:// or all with ws://, not a mix.</source>
        <translation>Die Server eines Raums werden alle mit wss:// oder alle mit ws:// erreicht, nicht gemischt.</translation>
    </message>
    <message>
        <source>The server %1 is listed twice.</source>
        <translation>Der Server %1 steht zweimal in der Liste.</translation>
    </message>
</context>
<context>
    <name>inkroom::ui::AppController</name>
    <message>
        <source>No room on this network has the code %1. Check it with the host, or use the room&apos;s link.</source>
        <translation>Kein Raum in diesem Netzwerk hat den Code %1. Prüfen Sie ihn mit dem Gastgeber, oder verwenden Sie den Link des Raums.</translation>
    </message>
    <message>
        <source>Codes find rooms on this network, and this computer cannot list them: %1</source>
        <translation>Codes finden Räume in diesem Netzwerk, und dieser Computer kann sie nicht auflisten: %1</translation>
    </message>
    <message>
        <source>“%1” is no longer on this network.</source>
        <translation>„%1“ ist nicht mehr in diesem Netzwerk.</translation>
    </message>
    <message>
        <source>“%1” needs a join token: ask whoever runs it for its link.</source>
        <translation>„%1“ braucht ein Beitrittstoken: Fragen Sie die Person, die ihn betreibt, nach seinem Link.</translation>
    </message>
    <message>
        <source>matches the fingerprint announced on this network</source>
        <translation>stimmt mit dem in diesem Netzwerk angekündigten Fingerabdruck überein</translation>
    </message>
    <message>
        <source>A room name is 1 to 64 characters, without control characters.</source>
        <translation>Ein Raumname hat 1 bis 64 Zeichen, ohne Steuerzeichen.</translation>
    </message>
    <message>
        <source>The server could not start: %1</source>
        <translation>Der Server konnte nicht starten: %1</translation>
    </message>
    <message>
        <source>Room %1</source>
        <translation>Raum %1</translation>
    </message>
</context>
<context>
    <name>inkroom::ui::BoardClipboard</name>
    <message numerus="yes">
        <source>%n item(s) from an Inkroom board</source>
        <translation>
            <numerusform>%n Element von einer Inkroom-Tafel</numerusform>
            <numerusform>%n Elemente von einer Inkroom-Tafel</numerusform>
        </translation>
    </message>
    <message>
        <source>they are not board items</source>
        <translation>es sind keine Elemente einer Tafel</translation>
    </message>
    <message>
        <source>there are no items</source>
        <translation>es sind keine Elemente darin</translation>
    </message>
    <message>
        <source>Only the top %1 of the %2 selected items were copied.</source>
        <translation>Nur die obersten %1 der %2 ausgewählten Elemente wurden kopiert.</translation>
    </message>
    <message>
        <source>What is on the clipboard cannot be pasted: %1</source>
        <translation>Was in der Zwischenablage liegt, lässt sich nicht einfügen: %1</translation>
    </message>
    <message>
        <source>There is nothing on the clipboard to paste.</source>
        <translation>In der Zwischenablage ist nichts zum Einfügen.</translation>
    </message>
    <message numerus="yes">
        <source>%n picture(s) from another room were left out: this computer does not have them. Copy the picture itself instead.</source>
        <translation>
            <numerusform>%n Bild aus einem anderen Raum wurde ausgelassen: Dieser Computer hat es nicht. Kopieren Sie stattdessen das Bild selbst.</numerusform>
            <numerusform>%n Bilder aus einem anderen Raum wurden ausgelassen: Dieser Computer hat sie nicht. Kopieren Sie stattdessen die Bilder selbst.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>inkroom::ui::BoardExporter</name>
    <message>
        <source>Saved %1</source>
        <translation>%1 gespeichert</translation>
    </message>
    <message>
        <source>The board is too large to copy as one picture; export it as a PDF.</source>
        <translation>Die Tafel ist zu groß, um sie als ein Bild zu kopieren; exportieren Sie sie als PDF.</translation>
    </message>
    <message>
        <source>Copied a picture of the board (%1 × %2 pixels)</source>
        <translation>Ein Bild der Tafel kopiert (%1 × %2 Pixel)</translation>
    </message>
</context>
<context>
    <name>inkroom::ui::CanvasItem</name>
    <message>
        <source>That text cannot be placed on the board.</source>
        <translation>Dieser Text kann nicht auf die Tafel gesetzt werden.</translation>
    </message>
</context>
<context>
    <name>inkroom::ui::HostingTray</name>
    <message>
        <source>Open Inkroom</source>
        <translation>Inkroom öffnen</translation>
    </message>
    <message>
        <source>Stop hosting (close the room for everyone)</source>
        <translation>Bereitstellung beenden (den Raum für alle schließen)</translation>
    </message>
    <message>
        <source>Inkroom — hosting %1</source>
        <translation>Inkroom — stellt %1 bereit</translation>
    </message>
</context>
<context>
    <name>inkroom::ui::RecentRooms</name>
    <message>
        <source>Hosted on this computer</source>
        <translation>Auf diesem Computer bereitgestellt</translation>
    </message>
    <message numerus="yes">
        <source>On this network now, %n person(s) in it</source>
        <translation>
            <numerusform>Jetzt in diesem Netzwerk, %n Person darin</numerusform>
            <numerusform>Jetzt in diesem Netzwerk, %n Personen darin</numerusform>
        </translation>
    </message>
    <message>
        <source>Opened today</source>
        <translation>Heute geöffnet</translation>
    </message>
    <message>
        <source>Opened yesterday</source>
        <translation>Gestern geöffnet</translation>
    </message>
    <message numerus="yes">
        <source>Opened %n day(s) ago</source>
        <translation>
            <numerusform>Vor %n Tag geöffnet</numerusform>
            <numerusform>Vor %n Tagen geöffnet</numerusform>
        </translation>
    </message>
    <message>
        <source>Opened on %1</source>
        <translation>Am %1 geöffnet</translation>
    </message>
</context>
<context>
    <name>inkroom::ui::RoomHandover</name>
    <message>
        <source>This computer could not take the room over: %1</source>
        <translation>Dieser Computer konnte den Raum nicht übernehmen: %1</translation>
    </message>
</context>
<context>
    <name>inkroom::ui::RoomHost</name>
    <message>
        <source>The server could not start.</source>
        <translation>Der Server konnte nicht starten.</translation>
    </message>
    <message>
        <source>The server is not running.</source>
        <translation>Der Server läuft nicht.</translation>
    </message>
</context>
<context>
    <name>inkroom::ui::StyleProperties</name>
    <message>
        <source>Black</source>
        <translation>Schwarz</translation>
    </message>
    <message>
        <source>Grey</source>
        <translation>Grau</translation>
    </message>
    <message>
        <source>Red</source>
        <translation>Rot</translation>
    </message>
    <message>
        <source>Orange</source>
        <translation>Orange</translation>
    </message>
    <message>
        <source>Green</source>
        <translation>Grün</translation>
    </message>
    <message>
        <source>Teal</source>
        <translation>Petrol</translation>
    </message>
    <message>
        <source>Blue</source>
        <translation>Blau</translation>
    </message>
    <message>
        <source>Violet</source>
        <translation>Violett</translation>
    </message>
    <message>
        <source>Pink</source>
        <translation>Pink</translation>
    </message>
    <message>
        <source>Light grey</source>
        <translation>Hellgrau</translation>
    </message>
    <message>
        <source>Light red</source>
        <translation>Hellrot</translation>
    </message>
    <message>
        <source>Light yellow</source>
        <translation>Hellgelb</translation>
    </message>
    <message>
        <source>Light green</source>
        <translation>Hellgrün</translation>
    </message>
    <message>
        <source>Light teal</source>
        <translation>Helles Petrol</translation>
    </message>
    <message>
        <source>Light blue</source>
        <translation>Hellblau</translation>
    </message>
    <message>
        <source>Light violet</source>
        <translation>Hellviolett</translation>
    </message>
    <message>
        <source>Light pink</source>
        <translation>Rosa</translation>
    </message>
    <message>
        <source>Thin</source>
        <translation>Dünn</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>Mittel</translation>
    </message>
    <message>
        <source>Bold</source>
        <translation>Kräftig</translation>
    </message>
    <message>
        <source>Extra bold</source>
        <translation>Sehr kräftig</translation>
    </message>
    <message>
        <source>Small</source>
        <translation>Klein</translation>
    </message>
    <message>
        <source>Large</source>
        <translation>Groß</translation>
    </message>
    <message>
        <source>Extra large</source>
        <translation>Sehr groß</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Draw and chat together, live, on your local network.

Start without options to see the start screen. Give an inkroom:// link to join that room.</source>
        <translation>Gemeinsam zeichnen und chatten, live, im lokalen Netzwerk.

Ohne Optionen gestartet, zeigt es die Startseite. Mit einem inkroom://-Link treten Sie diesem Raum bei.</translation>
    </message>
    <message>
        <source>Join as &lt;name&gt;.</source>
        <translation>Als &lt;name&gt; beitreten.</translation>
    </message>
    <message>
        <source>Join the room of an inkroom:// &lt;link&gt;.</source>
        <translation>Dem Raum eines inkroom://-&lt;link&gt; beitreten.</translation>
    </message>
    <message>
        <source>Host a room on this computer and join it.</source>
        <translation>Einen Raum auf diesem Computer bereitstellen und ihm beitreten.</translation>
    </message>
    <message>
        <source>With --host: the room&apos;s &lt;name&gt;.</source>
        <translation>Mit --host: der &lt;name&gt; des Raums.</translation>
    </message>
    <message>
        <source>Do not list the servers on this network, and do not announce a hosted room on it (DNS-SD).</source>
        <translation>Die Server in diesem Netzwerk nicht auflisten und einen bereitgestellten Raum dort nicht ankündigen (DNS-SD).</translation>
    </message>
    <message>
        <source>An inkroom:// link to join.</source>
        <translation>Ein inkroom://-Link zum Beitreten.</translation>
    </message>
    <message>
        <source>A name is 1 to 40 characters without control characters.</source>
        <translation>Ein Name hat 1 bis 40 Zeichen ohne Steuerzeichen.</translation>
    </message>
    <message>
        <source>Use either --host or a link to join, not both.</source>
        <translation>Verwenden Sie entweder --host oder einen Link zum Beitreten, nicht beides.</translation>
    </message>
    <message>
        <source>A room name is 1 to 64 characters.</source>
        <translation>Ein Raumname hat 1 bis 64 Zeichen.</translation>
    </message>
</context>
</TS>
