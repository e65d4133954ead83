// The `projects:` list and the checks across projects.
#include <map>

#include "config/parse_sections.h"

namespace berth {

void readProjects(const MapReader& root, std::vector<Project>& out) {
  const auto list = root.list("projects");
  if (!list) return;
  Diagnostics& diag = root.diagnostics();
  std::vector<ProjectRead> projects;
  for (size_t i = 0; i < list->size(); ++i)
    projects.push_back(
        readProject((*list)[i], itemPath(root.keyPath("projects"), i), diag, whereOf(*list)));

  std::map<std::string, const ProjectRead*> by_name;
  // Two routes for one domain would make the proxy's choice arbitrary.
  struct DomainUse {
    std::string owner;  // project/stage
    Where at;
  };
  std::map<std::string, DomainUse> domains;
  for (const auto& p : projects) {
    const std::string& name = p.project.name;
    if (!name.empty()) {
      const auto [it, inserted] = by_name.emplace(name, &p);
      if (!inserted)
        diag.error(p.name_at, childPath(p.path, "name"),
                   "duplicate project name '" + name + "' (first at line " +
                       std::to_string(it->second->name_at.line) + ")");
    }
    for (const auto& s : p.stages) {
      for (size_t d = 0; d < s.domain_at.size(); ++d) {
        const std::string& domain = s.stage.domains[d];
        const std::string owner = name + "/" + s.stage.name;
        const auto [it, inserted] = domains.emplace(domain, DomainUse{owner, s.domain_at[d]});
        if (!inserted)
          diag.error(s.domain_at[d], itemPath(childPath(s.path, "domains"), d),
                     "domain '" + domain + "' is already routed to " + it->second.owner +
                         " (line " + std::to_string(it->second.at.line) + ")");
      }
    }
  }
  out.clear();
  for (const auto& p : projects)
    out.push_back(p.project);
}

}  // namespace berth
