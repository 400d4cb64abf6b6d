#include "serverapp.h"

int main(int argc, char **argv)
{
    return inkroom::server::runServerApp(argc, argv);
}
